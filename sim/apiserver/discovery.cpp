// Discovery: /version, /api, /apis (aggregated, apidiscovery.k8s.io/v2, when
// the client asks for it; legacy APIVersions/APIGroupList otherwise) and the
// legacy per-group APIResourceList documents. kubectl drives everything from
// these: short names (`vmi`), categories (`get all`), verbs and scope.
// Refused kinds ("not modelled") are left out, so kubectl says it does not
// know them rather than kvsim answering half.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "models/registry.hpp"
#include "sim/apiserver/discovery.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {

namespace {

using models::Json;

// `kubectl get all`: the built-in kinds upstream puts in the category, and
// KubeVirt's VMs and VMIs (kubevirt's generated CRDs, crds.go, categories: all), and CDI's
// DataVolumes, DataSources and DataImportCrons (CDI v1.62 types.go kubebuilder markers).
bool in_category_all(std::string_view plural) {
  for (auto p : {"pods", "services", "replicationcontrollers", "deployments", "replicasets", "statefulsets",
                 "daemonsets", "jobs", "cronjobs", "virtualmachines", "virtualmachineinstances", "datavolumes",
                 "datasources", "dataimportcrons"})
    if (plural == p) return true;
  return false;
}

bool has_scale(std::string_view plural) {
  for (auto p : {"deployments", "replicasets", "statefulsets", "virtualmachineinstancereplicasets"})
    if (plural == p) return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Json kVerbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};

// A group's versions, preferred first (the first is what clients that name
// none use, upstream's preferredVersion), each with its kinds in the registry's order.
using GroupVersionKinds = std::vector<std::pair<std::string, std::vector<const models::KindInfo*>>>;

// group -> its versions: every version each modelled kind is served in.
std::map<std::string, GroupVersionKinds> served_groups() {
  std::map<std::string, GroupVersionKinds> out;
  for (const auto* k : models::all_kinds()) {
    if (!k->not_modelled.empty()) continue;
    auto& versions = out[std::string(k->group())];
    for (const auto& served : models::served_versions(*k)) {
      auto it = std::find_if(versions.begin(), versions.end(), [&](const auto& v) { return v.first == served.version; });
      if (it == versions.end()) it = versions.insert(versions.end(), {std::string(served.version), {}});
      it->second.push_back(k);
    }
  }
  return out;
}

const std::vector<const models::KindInfo*>* kinds_in(const GroupVersionKinds& versions, const std::string& version) {
  for (const auto& [v, kinds] : versions)
    if (v == version) return &kinds;
  return nullptr;
}

Json short_names(const models::KindInfo& k) {
  Json out = Json::array();
  for (auto s : k.short_names) out.push_back(std::string(s));
  return out;
}

Json aggregated_resource(const models::KindInfo& k, const std::string& version) {
  const std::string group(k.group());
  Json r = {{"resource", std::string(k.plural)},
            {"responseKind", {{"group", group}, {"version", version}, {"kind", std::string(k.kind)}}},
            {"scope", k.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", lower(k.kind)},
            {"verbs", kVerbs}};
  if (!k.short_names.empty()) r["shortNames"] = short_names(k);
  if (in_category_all(k.plural)) r["categories"] = {"all"};
  Json subs = Json::array();
  if (k.status_subresource)
    subs.push_back({{"subresource", "status"},
                    {"responseKind", {{"group", group}, {"version", version}, {"kind", std::string(k.kind)}}},
                    {"verbs", {"get", "patch", "update"}}});
  if (has_scale(k.plural))
    subs.push_back({{"subresource", "scale"},
                    {"responseKind", {{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}}},
                    {"verbs", {"get", "patch", "update"}}});
  // kubectl drain evicts (PDBs, KubeVirt's live migration) only where pods/eviction is advertised.
  if (k.kind == "Pod")
    subs.push_back({{"subresource", "eviction"},
                    {"responseKind", {{"group", "policy"}, {"version", "v1"}, {"kind", "Eviction"}}},
                    {"verbs", {"create"}}});
  if (!subs.empty()) r["subresources"] = subs;
  return r;
}

Json aggregated_group(const std::string& group, const GroupVersionKinds& versions) {
  Json vs = Json::array();
  for (const auto& [version, kinds] : versions) {
    Json resources = Json::array();
    for (const auto* k : kinds) resources.push_back(aggregated_resource(*k, version));
    vs.push_back({{"version", version}, {"resources", resources}, {"freshness", "Current"}});
  }
  Json metadata = Json::object();
  if (!group.empty()) metadata["name"] = group;
  else metadata["creationTimestamp"] = nullptr;
  return {{"metadata", metadata}, {"versions", vs}};
}

Json legacy_resource_list(const std::string& group_version, const std::vector<const models::KindInfo*>& kinds) {
  Json resources = Json::array();
  for (const auto* k : kinds) {
    Json r = {{"name", std::string(k->plural)}, {"singularName", lower(k->kind)}, {"namespaced", k->namespaced},
              {"kind", std::string(k->kind)}, {"verbs", kVerbs}};
    if (!k->short_names.empty()) r["shortNames"] = short_names(*k);
    if (in_category_all(k->plural)) r["categories"] = {"all"};
    resources.push_back(r);
    if (k->status_subresource)
      resources.push_back({{"name", std::string(k->plural) + "/status"}, {"singularName", ""}, {"namespaced", k->namespaced},
                           {"kind", std::string(k->kind)}, {"verbs", {"get", "patch", "update"}}});
    if (has_scale(k->plural))
      resources.push_back({{"name", std::string(k->plural) + "/scale"}, {"singularName", ""}, {"namespaced", k->namespaced},
                           {"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"},
                           {"verbs", {"get", "patch", "update"}}});
    if (k->kind == "Pod")
      resources.push_back({{"name", "pods/eviction"}, {"singularName", ""}, {"namespaced", true}, {"group", "policy"},
                           {"version", "v1"}, {"kind", "Eviction"}, {"verbs", {"create"}}});
  }
  return {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", group_version}, {"resources", resources}};
}

// The client takes the aggregated form only when it asks for it and the
// answer's Content-Type says so (client-go discovery_client.go, ContentTypeIsGVK).
bool wants_aggregated(const Request& r) {
  return r.accept.find("as=APIGroupDiscoveryList") != std::string::npos &&
         r.accept.find("g=apidiscovery.k8s.io") != std::string::npos && r.accept.find("v=v2;") != std::string::npos;
}

Response aggregated(const Json& items) {
  Response r = json_response({{"kind", "APIGroupDiscoveryList"}, {"apiVersion", "apidiscovery.k8s.io/v2"},
                              {"metadata", Json::object()}, {"items", items}});
  r.content_type = kAggregatedDiscoveryContentType;
  r.headers.push_back({"Vary", "Accept"});
  return r;
}

}  // namespace

Json version_document(const ServeOptions& options) {
  // "v1.32.4" -> major 1, minor 32: the kubectl dispatcher runs the kubectl of this minor.
  std::string major = "1", minor = "32";
  if (auto dot = options.version.find('.'); dot != std::string::npos) {
    major = options.version.substr(options.version[0] == 'v' ? 1 : 0, dot - (options.version[0] == 'v' ? 1 : 0));
    auto rest = options.version.substr(dot + 1);
    minor = rest.substr(0, rest.find('.'));
  }
  return {{"major", major},        {"minor", minor},          {"gitVersion", options.version},
          {"gitCommit", "kvsim"},  {"gitTreeState", "clean"}, {"buildDate", "2026-01-01T00:00:00Z"},
          {"goVersion", "go1.23.6"}, {"compiler", "gc"},      {"platform", "linux/amd64"}};
}

std::string discovery_fingerprint() {
  const auto doc = [] {
    Json all = Json::array();
    for (const auto& [group, versions] : served_groups()) all.push_back(aggregated_group(group, versions));
    return all.dump();
  }();
  // FNV-1a: stable across runs and builds, unlike std::hash.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : doc) h = (h ^ c) * 1099511628211ull;
  return fmt::format("{:016x}", h);
}

namespace {

// Status 0: not a discovery path; the handler routes it on.
Reply not_discovery() {
  Response r;
  r.status = 0;
  return {r};
}

}  // namespace

Reply discovery(const Request& request, const ServeOptions& options) {
  if (request.method != "GET") return not_discovery();
  const auto& path = request.path;
  if (path == "/version" || path == "/version/") return {json_response(version_document(options))};
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    Response ok;
    ok.content_type = "text/plain; charset=utf-8";
    ok.body = "ok";
    return {ok};
  }
  const auto groups = served_groups();
  if (path == "/api" || path == "/api/") {
    if (wants_aggregated(request)) return {aggregated(Json::array({aggregated_group("", groups.at(""))}))};
    return {json_response({{"kind", "APIVersions"}, {"versions", {"v1"}},
                           {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}}}})};
  }
  if (path == "/apis" || path == "/apis/") {
    if (wants_aggregated(request)) {
      Json items = Json::array();
      for (const auto& [group, versions] : groups)
        if (!group.empty()) items.push_back(aggregated_group(group, versions));
      return {aggregated(items)};
    }
    Json list = Json::array();
    for (const auto& [group, versions] : groups) {
      if (group.empty()) continue;
      Json vs = Json::array();
      for (const auto& [version, kinds] : versions) vs.push_back({{"groupVersion", group + "/" + version}, {"version", version}});
      list.push_back({{"name", group}, {"versions", vs}, {"preferredVersion", vs.front()}});
    }
    return {json_response({{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}})};
  }
  if (path == "/api/v1" || path == "/api/v1/") return {json_response(legacy_resource_list("v1", *kinds_in(groups.at(""), "v1")))};
  // /apis/{group} and /apis/{group}/{version}
  if (path.starts_with("/apis/")) {
    std::string rest = path.substr(6);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto slash = rest.find('/');
    const std::string group = rest.substr(0, slash);
    auto g = groups.find(group);
    if (g == groups.end() || group.empty()) return not_discovery();
    if (slash == std::string::npos) {
      Json vs = Json::array();
      for (const auto& [version, kinds] : g->second) vs.push_back({{"groupVersion", group + "/" + version}, {"version", version}});
      return {json_response({{"kind", "APIGroup"}, {"apiVersion", "v1"}, {"name", group}, {"versions", vs},
                             {"preferredVersion", vs.front()}})};
    }
    const std::string version = rest.substr(slash + 1);
    if (version.find('/') != std::string::npos) return not_discovery();
    const auto* kinds = kinds_in(g->second, version);
    if (!kinds) return not_discovery();
    return {json_response(legacy_resource_list(group + "/" + version, *kinds))};
  }
  return not_discovery();
}

}  // namespace kvsim::sim::apiserver
