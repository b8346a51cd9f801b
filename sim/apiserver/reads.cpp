// GET of resources: one object, a list (paged with limit/continue), either as
// the objects' JSON or as a server-side Table, and watches.
#include <fmt/format.h>

#include <charconv>

#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/selectors.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/table.hpp"
#include "sim/apiserver/watch_stream.hpp"

namespace kvsim::sim::apiserver {

namespace {

using models::Json;

std::string group_of(const ResourcePath& p) { return p.group; }

// A continue token names the last object of the page (namespace/name), hex-encoded.
std::string encode_continue(const models::Object& last) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : last.metadata.namespace_ + "/" + last.metadata.name) out += hex[c >> 4], out += hex[c & 15];
  return out;
}

std::optional<std::pair<std::string, std::string>> decode_continue(const std::string& token) {
  if (token.size() % 2) return std::nullopt;
  std::string raw;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    unsigned v = 0;
    if (std::from_chars(token.data() + i, token.data() + i + 2, v, 16).ec != std::errc()) return std::nullopt;
    raw += static_cast<char>(v);
  }
  const auto slash = raw.find('/');
  if (slash == std::string::npos) return std::nullopt;
  return std::make_pair(raw.substr(0, slash), raw.substr(slash + 1));
}

Reply get_object(cluster::Cluster& cluster, const Request& request, const ResourcePath& path) {
  const auto& kind = *path.kind;
  auto o = cluster.store().get(kind, kind.namespaced ? path.ns : std::string(), path.name);
  if (!o) return {not_found(path.resource, group_of(path), path.name)};
  if (!path.subresource.empty() && path.subresource != "status")
    return {status_response(404, "NotFound", fmt::format("the server could not find the requested resource ({} {} {})",
                                                         path.subresource, path.resource, path.name))};
  if (wants_table(request.accept))
    return {json_response(table(kind, {o}, cluster.now(), include_object(request.param("includeObject")),
                                o->metadata.resourceVersion))};
  return {json_response(object_json(*o))};
}

Reply list_objects(cluster::Cluster& cluster, const Request& request, const ResourcePath& path, const Selectors& selectors) {
  const auto& kind = *path.kind;
  const std::string rv = std::to_string(cluster.store().resource_version());
  // Paging: after the object the continue token names, at most `limit`. Unlike
  // etcd's, the pages are not one snapshot: an object created or deleted
  // between two pages shows in, or drops from, the later ones.
  std::optional<api::Key> after;
  if (const auto token = request.param("continue"); !token.empty()) {
    auto from = decode_continue(token);
    if (!from) return {status_response(400, "BadRequest", "continue key is not valid: " + token)};
    after = api::Key{from->first, from->second};
  }
  std::size_t limit = 0;
  if (const auto l = request.param("limit"); !l.empty()) std::from_chars(l.data(), l.data() + l.size(), limit);
  auto page = cluster.store().list_page(kind, kind.namespaced ? path.ns : std::string(),
                                        selectors.labels ? &*selectors.labels : nullptr, after, limit,
                                        [&](const models::Object& o) { return selectors.matches(o); });
  auto& items = page.items;
  const std::size_t remaining = page.remaining;
  const std::string next = remaining > 0 ? encode_continue(*items.back()) : std::string();
  if (wants_table(request.accept)) {
    Json t = table(kind, items, cluster.now(), include_object(request.param("includeObject")), rv);
    if (!next.empty()) t["metadata"]["continue"] = next, t["metadata"]["remainingItemCount"] = remaining;
    return {json_response(t)};
  }
  Json list_items = Json::array();
  for (const auto& o : items) list_items.push_back(object_json(*o));
  Json metadata = {{"resourceVersion", rv}};
  if (!next.empty()) metadata["continue"] = next, metadata["remainingItemCount"] = remaining;
  Json list = {{"kind", std::string(kind.kind) + "List"}, {"apiVersion", std::string(kind.api_version)},
               {"metadata", std::move(metadata)}};
  list["items"] = std::move(list_items);  // moved: an initializer list would copy every item
  return {json_response(list)};
}

bool is_true(const std::string& v) { return v == "1" || v == "true" || v == "True"; }

}  // namespace

Reply read_resource(cluster::Cluster& cluster, WatchHub& hub, const Request& request, const ResourcePath& path) {
  if (path.subresource == "log")
    return {status_response(400, "BadRequest",
                            "kvsim does not model container logs; its timeline (kvsim tui, or the trace) shows what each "
                            "component decided")};
  if (!path.name.empty() && !is_true(request.param("watch"))) return get_object(cluster, request, path);
  std::string error;
  std::string field_selector = request.param("fieldSelector");
  // A watch on one object (`kubectl get vm vm1 -w`) is a watch with metadata.name.
  if (!path.name.empty())
    field_selector = "metadata.name=" + path.name + (field_selector.empty() ? "" : "," + field_selector);
  auto selectors = parse_selectors(*path.kind, request.param("labelSelector"), field_selector, error);
  if (!selectors) return {status_response(400, "BadRequest", error)};
  if (!is_true(request.param("watch"))) return list_objects(cluster, request, path, *selectors);
  return open_watch(cluster, hub, request, path, std::move(*selectors));
}

}  // namespace kvsim::sim::apiserver
