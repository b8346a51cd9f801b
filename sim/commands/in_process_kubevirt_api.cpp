#include "sim/commands/in_process_kubevirt_api.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "models/manifest.hpp"
#include "models/registry.hpp"
#include "sim/client/api_errors.hpp"
#include "sim/client/virtctl_verbs.hpp"
#include "sim/kubevirt/subresources/virt_api_routes.hpp"
#include "sim/kubevirt/virt_api.hpp"
#include "models/codec/safe_yaml.hpp"

namespace kvsim::sim::commands {
namespace {

namespace sub = kubevirt::subresources;

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

client::ApiResult read_answer(const sub::Answer& a, const client::RequestTarget& target) {
  client::ApiResult r;
  r.code = a.code;
  if (a.ok()) {
    r.body = a.body;
    return r;
  }
  r.error = a.plain_text ? client::generic_server_error(a.code, trimmed(a.message), target) : a.message;
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const models::KindInfo* kind_of(const std::string& api_version, const std::string& resource) {
  const auto slash = api_version.find('/');
  const std::string group = slash == std::string::npos ? std::string() : api_version.substr(0, slash);
  for (const auto* k : models::all_kinds())
    if (k->plural == resource && k->group() == group) return k;
  return nullptr;
}

std::string qualified(const models::KindInfo& kind) {
  const std::string group(kind.group());
  return group.empty() ? std::string(kind.plural) : std::string(kind.plural) + "." + group;
}

}  // namespace

client::ApiResult InProcessKubeVirtApi::subresource(const std::string& method, const std::string& ns,
                                                    const std::string& resource, const std::string& name,
                                                    const std::string& s, const std::string& body) {
  const auto answer = sub::virt_api_request(cluster_, {method, ns, resource, name, s, body});
  return read_answer(answer, {lower(method), resource + ".subresources.kubevirt.io", name});
}

client::ApiResult InProcessKubeVirtApi::kubevirt_version() {
  return read_answer(sub::virt_api_request(cluster_, {"GET", "", "", "", "version", ""}), {"get", "", ""});
}

client::ApiResult InProcessKubeVirtApi::get(const std::string& api_version, const std::string& resource,
                                            const std::string& ns, const std::string& name) {
  client::ApiResult r;
  const auto* kind = kind_of(api_version, resource);
  if (!kind) {
    r.code = 404;
    r.error = "the server could not find the requested resource";
    return r;
  }
  if (auto o = cluster_.store().get(*kind, kind->namespaced ? ns : std::string(), name)) {
    r.code = 200;
    r.body = o->to_json();
    return r;
  }
  r.code = 404;
  r.error = fmt::format("{} \"{}\" not found", qualified(*kind), name);
  return r;
}

client::ApiResult InProcessKubeVirtApi::create(const std::string& api_version, const std::string& resource,
                                               const std::string& ns, const models::Json& object) {
  client::ApiResult r;
  const auto* kind = kind_of(api_version, resource);
  if (!kind) {
    r.code = 404;
    r.error = "the server could not find the requested resource";
    return r;
  }
  auto& store = cluster_.store();
  // KubeVirt's own kinds go through virt-api's webhooks first.
  if (auto refused = kubevirt::virt_api_webhook_error(store, *kind); !refused.empty()) {
    r.code = 500;
    r.error = refused;
    return r;
  }
  models::DecodeContext ctx;
  ctx.file = "request body";
  models::Problems problems;
  auto node = models::parse_yaml_document(object.dump(), ctx.file, problems);
  auto o = node ? models::decode_object(*node, ctx) : nullptr;
  for (auto& p : problems) ctx.problems.push_back(p);
  if (o && ctx.problems.empty()) models::admit(*o, ctx);
  if (!o || !ctx.problems.empty()) {
    r.code = 422;
    r.error = models::join_lines(ctx.problems);
    return r;
  }
  if (kind->namespaced && o->metadata.namespace_.empty()) o->metadata.namespace_ = ns;
  auto w = store.create(o, api::Cause{"user", "", "virtctl create " + std::string(kind->plural) + " " + o->metadata.name});
  if (!w.ok()) {
    r.code = w.code;
    r.error = w.error;
    return r;
  }
  r.code = 201;
  r.body = w.object->to_json();
  return r;
}

Outcome virtctl_verb(cluster::Cluster& cluster, const std::string& verb, const std::vector<std::string>& args) {
  InProcessKubeVirtApi api(cluster);
  std::vector<std::string> line = {verb};
  line.insert(line.end(), args.begin(), args.end());
  bool handled = false;
  auto r = client::run_virtctl_verb(api, line, "default", handled);
  return {r.output, r.error};
}

}  // namespace kvsim::sim::commands
