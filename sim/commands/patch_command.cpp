#include "sim/commands/patch_command.hpp"

#include <fmt/format.h>

#include "models/codec/decoder.hpp"
#include "sim/apiserver/handler.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/printers.hpp"
#include "sim/commands/server_error.hpp"
#include "sim/commands/target.hpp"

namespace kvsim::sim::commands {
namespace {

// kubectl's --type values and the media type each is sent as (kubectl patch.go patchTypes).
std::string media_type_of(const std::string& type) {
  if (type == "json") return "application/json-patch+json";
  if (type == "merge") return "application/merge-patch+json";
  if (type == "strategic") return "application/strategic-merge-patch+json";
  return {};
}

// -p/--patch and --type are kubectl patch's own flags: taken out before the shared flags
// (which know no short -p) read the rest.
struct PatchArgs {
  std::string patch, type = "strategic", error;
  bool patch_given = false;
  std::vector<std::string> rest;
};

PatchArgs split_args(const std::vector<std::string>& args) {
  PatchArgs p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto take = [&](std::string& into, const char* flag) {
      if (i + 1 >= args.size()) p.error = fmt::format("error: flag needs an argument: {}", flag);
      else into = args[++i];
    };
    if (a == "-p" || a == "--patch") take(p.patch, a == "-p" ? "'p' in -p" : "--patch"), p.patch_given = true;
    else if (a.starts_with("--patch=")) p.patch = a.substr(8), p.patch_given = true;
    else if (a.starts_with("-p") && !a.starts_with("--")) p.patch = a.substr(a[2] == '=' ? 3 : 2), p.patch_given = true;
    else if (a == "--type") take(p.type, "--type");
    else if (a.starts_with("--type=")) p.type = a.substr(7);
    else p.rest.push_back(a);
    if (!p.error.empty()) break;
  }
  return p;
}

std::string resource_url(const models::KindInfo& kind, const std::string& ns, const std::string& name) {
  const std::string group(kind.group());
  std::string url = group.empty() ? "/api/v1" : "/apis/" + std::string(kind.api_version);
  if (kind.namespaced) url += "/namespaces/" + ns;
  return url + "/" + std::string(kind.plural) + "/" + name;
}

// The API server's Status as kubectl reads it: an Invalid one lists its causes.
api::WriteResult refusal_of(const apiserver::Response& response) {
  api::WriteResult r;
  r.code = response.status;
  const auto status = models::Json::parse(response.body, nullptr, false);
  r.error = status.is_object() ? status.value("message", std::string()) : response.body;
  if (response.status != 422 || !status.is_object() || !status.contains("details")) return r;
  const auto& details = status["details"];
  r.invalid_kind = details.value("kind", std::string());
  r.invalid_name = details.value("name", std::string());
  if (details.contains("causes"))
    for (const auto& c : details["causes"]) {
      const auto field = c.value("field", std::string()), message = c.value("message", std::string());
      r.causes.push_back(field.empty() ? message : field + ": " + message);
    }
  return r;
}

}  // namespace

Outcome patch_command(cluster::Cluster& cluster, const std::vector<std::string>& args) {
  auto p = split_args(args);
  if (!p.error.empty()) return {{}, p.error};
  const Flags f = parse_flags(p.rest);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const Target target = parse_target(f.positional, "patch");
  if (!target.error.empty()) return {{}, target.error};
  if (target.names.size() != 1)
    return {{}, "error: patch takes one object: patch KIND NAME -p PATCH [--type strategic|merge|json]"};
  if (!p.patch_given || p.patch.empty())
    return {{}, "error: must specify --patch or --patch-file containing the contents of the patch"};
  const auto media = media_type_of(p.type);
  if (media.empty()) return {{}, fmt::format("error: --type must be one of [json merge strategic], not \"{}\"", p.type)};
  const auto* kind = target.kind;
  const auto& name = target.names.front();
  const std::string ns = kind->namespaced ? f.ns : std::string();
  auto before = cluster.store().get(*kind, ns, name);

  apiserver::Request request;
  request.method = "PATCH";
  request.path = resource_url(*kind, ns, name);
  request.query["fieldManager"] = "kubectl-patch";
  request.content_type = media;
  request.user_agent = "kubectl/v1.32.4";
  request.body = p.patch;
  const auto path = apiserver::parse_resource_path(request.path);
  if (!path || !path->kind) return {{}, fmt::format("error: the server doesn't have a resource type \"{}\"", kind->plural)};
  const auto response = apiserver::write_resource(cluster, request, *path);
  if (response.status == 415) {
    // kubectl names the patch type and the kind the server took no such patch for.
    return {{}, fmt::format("error: {} is not supported by {}, Kind={}: {}", media, kind->api_version, kind->kind,
                            refusal_of(response).error)};
  }
  if (response.status >= 400) return {{}, server_error(refusal_of(response))};
  auto after = cluster.store().get(*kind, ns, name);
  const bool changed = !before || !after || before->metadata.resourceVersion != after->metadata.resourceVersion;
  return {fmt::format("{}/{} patched{}\n", kind_resource_name(*kind), name, changed ? "" : " (no change)"), {}};
}

}  // namespace kvsim::sim::commands
