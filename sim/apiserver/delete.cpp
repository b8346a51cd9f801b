// DELETE of one object (DeleteOptions: propagationPolicy, gracePeriodSeconds,
// preconditions, dryRun) and of a collection (deletecollection, by label and
// field selectors).
#include <fmt/format.h>

#include <charconv>

#include "models/label_selector.hpp"
#include "sim/apiserver/status.hpp"
#include "sim/apiserver/write_request.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

struct Deletion {
  api::DeleteOptions options;
  std::string uid, resource_version;  // preconditions
};

std::optional<Response> bad(const std::string& message) { return status_response(400, "BadRequest", message); }

std::optional<Response> set_propagation(Deletion& d, const std::string& policy) {
  if (policy != "Foreground" && policy != "Background" && policy != "Orphan")
    return invalid_options("DeleteOptions", "propagationPolicy",
                           fmt::format("Unsupported value: \"{}\": supported values: \"Foreground\", \"Background\", "
                                       "\"Orphan\", \"nil\"",
                                       policy));
  d.options.propagation = policy;
  return std::nullopt;
}

void set_grace(Deletion& d, std::int64_t seconds) {
  // Upstream reads a negative grace period as one second.
  d.options.grace_seconds = seconds < 0 ? 1 : seconds;
}

// DeleteOptions from the query, then from the body (kubectl sends
// {"propagationPolicy":"Background"}, plus gracePeriodSeconds with --grace-period).
std::optional<Response> read_deletion(const Request& request, Deletion& d) {
  if (request.has("dryRun")) {
    if (request.param("dryRun") != "All")
      return invalid_options("DeleteOptions", "dryRun",
                             fmt::format("Unsupported value: \"{}\": supported values: \"All\"", request.param("dryRun")));
    d.options.dry_run = true;
  }
  if (request.has("propagationPolicy"))
    if (auto refused = set_propagation(d, request.param("propagationPolicy"))) return refused;
  if (request.has("gracePeriodSeconds")) {
    const auto text = request.param("gracePeriodSeconds");
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size())
      return bad(fmt::format("gracePeriodSeconds: expected an integer, got \"{}\"", text));
    set_grace(d, v);
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  const auto type = media_type(request.content_type);
  if (type == "application/vnd.kubernetes.protobuf") return protobuf_refused();
  Json body;
  if (auto refused = parse_body(request.body, type == "application/yaml", body)) return refused;
  if (!body.is_object()) return bad("DeleteOptions must be an object, such as {\"propagationPolicy\":\"Foreground\"}");
  std::optional<bool> orphan;
  bool policy = false;
  for (const auto& [k, v] : body.items()) {
    if (k == "kind" || k == "apiVersion") continue;
    if (k == "propagationPolicy" && v.is_string()) {
      if (auto refused = set_propagation(d, v.get<std::string>())) return refused;
      policy = true;
    } else if (k == "gracePeriodSeconds" && v.is_number_integer()) {
      set_grace(d, v.get<std::int64_t>());
    } else if (k == "orphanDependents" && v.is_boolean()) {
      orphan = v.get<bool>();
    } else if (k == "dryRun" && v.is_array()) {
      for (const auto& item : v) {
        if (item != "All")
          return invalid_options("DeleteOptions", "dryRun",
                                 fmt::format("Unsupported value: {}: supported values: \"All\"", item.dump()));
        d.options.dry_run = true;
      }
    } else if (k == "preconditions" && v.is_object()) {
      for (const auto& [pk, pv] : v.items()) {
        if (pk == "uid" && pv.is_string()) d.uid = pv.get<std::string>();
        else if (pk == "resourceVersion" && pv.is_string()) d.resource_version = pv.get<std::string>();
        else if (!pv.is_null()) return bad(fmt::format("DeleteOptions: unknown or malformed field \"preconditions.{}\"", pk));
      }
    } else if (!v.is_null()) {
      return bad(fmt::format("DeleteOptions: unknown or malformed field \"{}\" (expected propagationPolicy, "
                             "gracePeriodSeconds, preconditions, orphanDependents or dryRun)",
                             k));
    }
  }
  if (orphan) {
    if (policy)
      return invalid_options("DeleteOptions", "orphanDependents",
                             "Invalid value: " + Json(*orphan).dump() +
                                 ": Cannot both set OrphanDependents and PropagationPolicy");
    d.options.propagation = *orphan ? "Orphan" : "Background";
  }
  return std::nullopt;
}

// What a DELETE answers: the object while it is kept (finalizers, a pod's
// grace period), then a Success Status naming what went (a pod answers with
// its last state, as upstream's pod storage returns the deleted object).
Response deleted(const WriteContext& w, const models::Object& last, const api::WriteResult& r) {
  if (r.object) return json_response(r.object->to_json(), 200);
  if (w.kind.kind == "Pod") return json_response(last.to_json(), 200);
  return success_status({{"name", last.metadata.name},
                         {"group", w.group()},
                         {"kind", w.resource()},
                         {"uid", last.metadata.uid}});
}

// One object: preconditions, then the store's delete.
std::optional<Response> delete_one(WriteContext& w, const models::ObjectPtr& current, const Deletion& d,
                                   Response& answer) {
  const auto& name = current->metadata.name;
  if (!d.uid.empty() && d.uid != current->metadata.uid)
    return conflict(w.resource(), w.group(), name,
                    fmt::format("Precondition failed: UID in precondition: {}, UID in object meta: {}", d.uid,
                                current->metadata.uid));
  if (!d.resource_version.empty() && d.resource_version != current->metadata.resourceVersion)
    return conflict(w.resource(), w.group(), name,
                    fmt::format("Precondition failed: ResourceVersion in precondition: {}, ResourceVersion in object "
                                "meta: {}",
                                d.resource_version, current->metadata.resourceVersion));
  auto r = w.store().remove(w.kind, w.ns(), name, w.cause(fmt::format("delete ({})", d.options.propagation)),
                            d.options);
  if (!r.ok()) return write_refused(r, w.resource(), w.group());
  answer = deleted(w, *current, r);
  return std::nullopt;
}

}  // namespace

Response delete_object(WriteContext& w) {
  Deletion d;
  if (auto refused = read_deletion(w.request, d)) return *refused;
  w.dry_run = d.options.dry_run;
  auto current = w.store().get(w.kind, w.ns(), w.path.name);
  if (!current) return not_found(w.resource(), w.group(), w.path.name);
  Response answer;
  if (auto refused = delete_one(w, current, d, answer)) return *refused;
  return answer;
}

Response delete_collection(WriteContext& w) {
  if (w.kind.namespaced && w.path.ns.empty())
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  Deletion d;
  if (auto refused = read_deletion(w.request, d)) return *refused;
  w.dry_run = d.options.dry_run;
  // TODO(merge): the lead's selectors.hpp (reads) parses both selectors; until it lands,
  // labels and metadata.name / metadata.namespace only.
  std::optional<models::LabelSelector> labels;
  if (!w.request.param("labelSelector").empty()) {
    auto parsed = models::parse_selector(w.request.param("labelSelector"));
    if (!parsed.selector) return status_response(400, "BadRequest", "unable to parse requirement: " + parsed.error);
    labels = parsed.selector;
  }
  std::vector<std::pair<std::string, std::string>> fields;
  const auto field_selector = w.request.param("fieldSelector");
  for (std::size_t i = 0; i < field_selector.size();) {
    auto end = field_selector.find(',', i);
    if (end == std::string::npos) end = field_selector.size();
    const auto term = field_selector.substr(i, end - i);
    const auto eq = term.find('=');
    const auto key = term.substr(0, eq);
    std::string value = eq == std::string::npos ? std::string() : term.substr(eq + 1);
    if (!value.empty() && value[0] == '=') value.erase(0, 1);  // ==, as = 
    if (eq == std::string::npos || (key != "metadata.name" && key != "metadata.namespace"))
      return status_response(400, "BadRequest", "field label not supported: " + key);
    fields.emplace_back(key, value);
    i = end + 1;
  }
  Json items = Json::array();
  for (const auto& o : w.store().list(w.kind, w.ns(), labels ? &*labels : nullptr)) {
    bool match = true;
    for (const auto& [k, v] : fields)
      match = match && (k == "metadata.name" ? o->metadata.name : o->metadata.namespace_) == v;
    if (!match) continue;
    Response answer;
    if (auto refused = delete_one(w, o, d, answer)) return *refused;
    // The list holds each object as its delete left it.
    auto j = Json::parse(answer.body);
    items.push_back(j.value("kind", std::string()) == "Status" ? o->to_json() : j);
  }
  return json_response({{"kind", std::string(w.kind.kind) + "List"},
                        {"apiVersion", std::string(w.kind.api_version)},
                        {"metadata", Json::object()},
                        {"items", items}});
}

}  // namespace kvsim::sim::apiserver
