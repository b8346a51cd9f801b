#include "sim/commands/executor.hpp"

#include <fmt/format.h>

#include <set>

#include "models/codec/safe_yaml.hpp"
#include "models/codec/yaml_writer.hpp"
#include "models/duration.hpp"
#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "models/registry.hpp"
#include "sim/apiserver/selectors.hpp"
#include "sim/commands/apply_merge.hpp"
#include "sim/commands/command_input.hpp"
#include "sim/commands/console_commands.hpp"
#include "sim/commands/create_config_command.hpp"
#include "sim/commands/create_vm_command.hpp"
#include "sim/commands/vmi_data_commands.hpp"
#include "sim/commands/describe_related.hpp"
#include "sim/commands/flags.hpp"
#include "sim/commands/guest_commands.hpp"
#include "sim/commands/in_process_kubevirt_api.hpp"
#include "sim/commands/migrate_command.hpp"
#include "sim/commands/node_commands.hpp"
#include "sim/commands/printers.hpp"
#include "sim/commands/patch_command.hpp"
#include "sim/commands/process_command.hpp"
#include "sim/commands/rollout_commands.hpp"
#include "sim/commands/server_error.hpp"
#include "sim/commands/target.hpp"
#include "sim/kubevirt/virt_api.hpp"
#include "sim/kubevirt/vm_plan.hpp"

namespace kvsim::sim::commands {
namespace {

const api::Cause kUser{"user", "", ""};

// The object `apply` writes over `live`: the three-way merge of the live
// object, the last applied configuration and the file's document, decoded
// and admitted again. Status is never the writer's (the status subresource).
std::shared_ptr<models::Object> applied_over(const models::Object& live, const models::Json& document,
                                            models::DecodeContext& ctx) {
  const auto live_json = live.to_json();
  auto merged = three_way_merge(live_json, last_applied_of(live_json), applied_configuration(document));
  merged["metadata"]["annotations"][kLastAppliedAnnotation] = last_applied_value(document);
  if (live_json.contains("status")) merged["status"] = live_json["status"];
  else merged.erase("status");
  for (const char* server_set : {"resourceVersion", "generation", "creationTimestamp", "uid", "deletionTimestamp"})
    if (live_json["metadata"].contains(server_set)) merged["metadata"][server_set] = live_json["metadata"][server_set];
  // Parsed as any input is: the merge holds the user's last-applied annotation.
  models::Problems parse_problems;
  const auto node = models::parse_yaml_document(merged.dump(), ctx.file, parse_problems);
  if (!node) {
    // A place in the merged JSON would mean nothing to the user: the message without it.
    for (auto& p : parse_problems) ctx.fail({}, "", p.message);
    return nullptr;
  }
  auto next = models::decode_object(*node, ctx);
  if (next && ctx.problems.empty()) models::admit(*next, ctx);
  return ctx.problems.empty() ? next : nullptr;
}

}  // namespace

std::size_t unquoted_pipe(const std::string& line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '|') {
      return i;
    }
  }
  return std::string::npos;
}

std::vector<std::string> split_words(const std::string& line, std::string& error) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(cur), cur.clear(), in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote) error = "unterminated quote";
  if (in_word) words.push_back(cur);
  return words;
}

std::string help_text() {
  return "Commands (a leading oc, kubectl or virtctl is accepted):\n"
         "  get KIND [NAME] [-n NS|-A] [-o wide|yaml|json|name] [-l SELECTOR] [--show-labels]\n"
         "  describe KIND NAME [-n NS]\n"
         "  apply -f FILE             (-f - reads the output of the command before a |: COMMAND | apply -f -)\n"
         "  process TEMPLATE [-p NAME=VALUE ...] [-n NS] [-o json|yaml] [--parameters]   an OpenShift template's\n"
         "                            objects (the common VM templates are in -n openshift), e.g.\n"
         "                            process -n openshift fedora-server-small -p NAME=vm1 | apply -f -\n"
         "  patch KIND NAME -p PATCH [--type strategic|merge|json] [-n NS]   kubectl patch (a VM, a custom resource,\n"
         "                            takes --type merge or json), e.g. patch vm vm1 --type merge -p '{\"metadata\":...}'\n"
         "  create secret generic NAME --from-literal=KEY=VALUE|--from-file=[KEY=]PATH ... [--type=TYPE]\n"
         "  create configmap NAME --from-literal=KEY=VALUE|--from-file=[KEY=]PATH ...\n"
         "  virtctl create vm [--name N] [--instancetype [KIND/]T] [--preference [KIND/]P] [--run-strategy S]\n"
         "         [--volume-import type:ds,src:NS/NAME[,size:Q]] [--volume-containerdisk src:IMAGE] [--cloud-init-user-data B64]\n"
         "                            prints virtctl's VM manifest; `... | apply -f -` creates it\n"
         "  delete KIND NAME|--all|-l SELECTOR [-n NS] [--cascade=background|foreground|orphan]\n"
         "         [--grace-period=N] [--force]   (delete node NAME removes the Node object)\n"
         "  start|stop|restart VM [-n NS]   (start --paused; stop|restart --grace-period=0 --force)\n"
         "  pause|unpause vm|vmi NAME [-n NS]   freeze / resume the guest (VMI condition Paused)\n"
         "  guest shutdown|crash VMI  the guest powers itself off (-> Succeeded) or panics (-> Failed)\n"
         "  virsh destroy VMI         virsh destroy of the VMI's domain from outside kvsim (-> Failed)\n"
         "  migrate VM [-n NS]        live-migrate the VM's VMI (a VirtualMachineInstanceMigration)\n"
         "  guestosinfo|userlist|fslist VMI   what the guest agent reports\n"
         "  expose vm|vmi|vmirs NAME --name SVC [--port N] [--target-port P] [--type T]   a Service for it\n"
         "  migrate-cancel VM [-n NS] cancel its active migration (deletes the vmim)\n"
         "  advance DURATION          e.g. 30s, 5m\n"
         "  node fail|recover NAME    power a node's host off / on\n"
         "  node add NAME [--role worker] [--labels k=v,...] [--cpu N] [--memory Q]\n"
         "  registry fail|recover     make the image registry unreachable (pulls time out) / reachable\n"
         "  cordon|uncordon NODE\n"
         "  drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N] [--timeout=D]\n"
         "  scale deployment|rs|sts|vmirs/NAME --replicas=N\n"
         "  set image deployment|rs|ds|sts/NAME CONTAINER=IMAGE ...\n"
         "  rollout status|history|undo|pause|resume|restart deployment/NAME  (status advances sim time until rolled out,\n"
         "      past the progress deadline, or --timeout, default progressDeadlineSeconds+60s; --watch=false looks once)\n"
         "  console VMI [--exec CMD] [--timeout MIN]  serial console (interactive until ^] or ~.; --exec runs one\n"
         "                            command); waits, advancing time, while the VMI is not yet running (5 min)\n"
         "  vnc VMI [--proxy-only] [--port N]   what a VNC viewer connects to\n"
         "  rdp VMI                   the desktop viewer's RDP path (Windows guests: a Service for port 3389 on the\n"
         "                            pod network; the guest agent on an L2 network)\n"
         "  port-forward vmi/NAME LOCAL:REMOTE   virtctl's tunnel to a guest port, hop by hop\n"
         "  guest write VMI DISK TEXT | guest read VMI DISK   data the guest keeps on a disk (PVC: kept; containerDisk: lost)\n"
         "  help, quit\n";
}

const std::vector<std::string_view>& command_verbs() {
  static const std::vector<std::string_view> verbs{
      "advance", "apply",   "cordon",  "create",     "console",  "delete",         "describe",     "drain",
      "expose",  "fslist",  "get",     "guest",      "guestosinfo", "help",        "migrate",      "migrate-cancel",
      "node",    "patch",   "pause",   "port-forward", "process", "quit",  "rdp",      "registry",       "restart",      "rollout",
      "scale",   "set",     "start",   "stop",       "uncordon", "unpause",        "userlist",     "virsh",
      "vnc"};
  return verbs;
}

Outcome Executor::run(const std::string& line) {
  // The shell reads lines with this cap; the TUI's prompt, scenarios and labs come through here too.
  if (line.size() > kMaxCommandLineBytes)
    return {{}, fmt::format("error: the command is longer than the cap of {}",
                            models::describe_bytes(kMaxCommandLineBytes))};
  if (console_) return console_input(cluster_, console_, line);
  if (const auto bar = unquoted_pipe(line); bar != std::string::npos)
    return pipe(line.substr(0, bar), line.substr(bar + 1));
  std::string error;
  auto words = split_words(line, error);
  if (!error.empty()) return {{}, "error: " + error};
  if (words.empty() || words[0].starts_with("#")) return {};
  return dispatch(std::move(words));
}

Outcome Executor::dispatch(std::vector<std::string> words) {
  if (words[0] == "oc" || words[0] == "kubectl" || words[0] == "virtctl") words.erase(words.begin());
  if (words.empty()) return {{}, "error: missing command (try: help)"};
  const std::string cmd = words[0];
  const std::vector<std::string> args(words.begin() + 1, words.end());
  if (cmd == "get") return get(args);
  if (cmd == "describe") return describe(args);
  if (cmd == "create" && is_create_config(args)) return create_config_command(cluster_, args);
  if (cmd == "create" && is_create_vm(args)) {
    std::string warnings;
    auto out = create_vm_command(cluster_, args, warnings);
    return with_stderr(std::move(warnings), std::move(out));
  }
  if (cmd == "apply" || cmd == "create") return apply(args);
  if (cmd == "delete") return remove(args);
  if (cmd == "start" || cmd == "stop" || cmd == "restart") return lifecycle(cmd, args);
  if (cmd == "advance") return advance(args);
  if (cmd == "node") return node_command(cluster_, args);
  if (cmd == "registry") return registry_command(args);
  if (cmd == "cordon" || cmd == "uncordon") return cordon_command(cluster_, cmd == "cordon", args);
  if (cmd == "drain") return drain_command(cluster_, args);
  if (cmd == "scale") return scale_command(cluster_, args);
  if (cmd == "set") return set_command(cluster_, args);
  if (cmd == "rollout") return rollout_command(cluster_, args);
  if (cmd == "console") return console_command(cluster_, args, console_);
  if (cmd == "vnc") return vnc_command(cluster_, args);
  if (cmd == "rdp") return rdp_command(cluster_, args);
  if (cmd == "port-forward") return port_forward_command(cluster_, args);
  if (cmd == "guest" && !args.empty() && (args[0] == "write" || args[0] == "read")) return guest_disk_command(cluster_, args);
  if (cmd == "guest") return guest_power_command(cluster_, args);
  if (cmd == "virsh") return virsh_command(cluster_, args);
  if (cmd == "pause" || cmd == "unpause") return pause_command(cluster_, cmd, args);
  if (cmd == "guestosinfo" || cmd == "userlist" || cmd == "fslist" || cmd == "expose")
    return virtctl_verb(cluster_, cmd, args);
  if (cmd == "migrate") return migrate_command(cluster_, args);
  if (cmd == "migrate-cancel") return migrate_cancel_command(cluster_, args);
  if (cmd == "process") return process_command(cluster_, args);
  if (cmd == "patch") return patch_command(cluster_, args);
  if (cmd == "help") return {help_text(), {}};
  return {{}, fmt::format("error: unknown command \"{}\" (expected get, describe, apply, delete, start, stop, restart, "
                          "advance, help)",
                          cmd)};
}

Outcome Executor::pipe(const std::string& left, const std::string& right) {
  std::string error;
  auto words = split_words(right, error);
  if (!words.empty() && (words[0] == "oc" || words[0] == "kubectl")) words.erase(words.begin());
  const bool reads_stdin = !words.empty() && (words[0] == "apply" || words[0] == "create") &&
                           parse_flags({words.begin() + 1, words.end()}).file == "-";
  if (!reads_stdin || unquoted_pipe(right) != std::string::npos)
    return {{}, "error: the shell's pipe feeds one command, apply -f - or create -f - (e.g. process TEMPLATE | apply -f -)"};
  // What the left side writes to stderr (virtctl create vm's warnings) is shown, not piped.
  pipe_warnings_.clear();
  producing_for_pipe_ = true;
  Outcome produced = run(left);
  producing_for_pipe_ = false;
  const std::string warnings = std::exchange(pipe_warnings_, {});
  if (!produced.ok()) return {warnings + produced.output, produced.error};
  stdin_ = produced.output;
  Outcome consumed = run(right);
  stdin_.reset();
  consumed.output = warnings + consumed.output;
  return consumed;
}

Outcome Executor::with_stderr(std::string warnings, Outcome out) {
  if (producing_for_pipe_) pipe_warnings_ += warnings;  // stderr: not part of what is piped
  else out.output = warnings + out.output;
  return out;
}

namespace {

// kubectl's line for an answer carrying a deprecation Warning header.
std::string deprecation_line(const models::KindInfo& kind, const std::string& api_version) {
  const auto warning = models::deprecation_warning(kind, api_version);
  return warning.empty() ? std::string() : fmt::format("Warning: {}\n", warning);
}

// A flag `get` does not read: refused, not ignored, or the trainee would take an unfiltered
// list for a filtered one. Empty when every flag on the line is one get reads.
std::string flag_get_ignores(const Flags& f) {
  std::string flag;
  if (!f.file.empty()) flag = "-f";
  if (f.all) flag = "--all";
  for (const auto& [name, value] : f.values)
    if (name != "field-selector") flag = "--" + name;
  for (const auto& name : f.switches)
    if (name != "show-labels") flag = "--" + name;
  if (flag.empty()) return {};
  return fmt::format("error: the shell's get does not take {} (it takes -n, -A, -o, -l, --field-selector and "
                     "--show-labels; the real kubectl takes the rest through `kvsim serve`)",
                     flag);
}

// `get` of `kind` read in `api_version` (kubectl's preferred version unless the kind word names one).
Outcome get_objects(cluster::Cluster& cluster, const models::KindInfo& kind_info, const std::string& api_version,
                    const Target& target, const Flags& f) {
  const auto* kind = &kind_info;
  const std::string name = target.names.empty() ? std::string() : target.names.front();
  if (auto refused = flag_get_ignores(f); !refused.empty()) return {{}, refused};
  std::optional<models::LabelSelector> selector;
  if (!f.selector.empty()) {
    auto parsed = models::parse_selector(f.selector);
    if (!parsed.selector) return {{}, "error: invalid selector \"" + f.selector + "\": " + parsed.error};
    selector = parsed.selector;
  }
  // The fields upstream lets each kind be selected by, as the API endpoint reads them.
  std::optional<apiserver::Selectors> fields;
  if (auto field_selector = f.value("field-selector")) {
    std::string error;
    fields = apiserver::parse_selectors(*kind, "", *field_selector, error);
    if (!fields) return {{}, "Error from server (BadRequest): " + error};
  }
  auto& store = cluster.store();
  const std::string ns = kind->namespaced && !f.all_namespaces ? f.ns : std::string();
  std::vector<models::ObjectPtr> objects;
  if (!name.empty()) {
    auto o = store.get(*kind, ns, name);
    if (!o) return {{}, fmt::format("Error from server (NotFound): {} \"{}\" not found", resource_name(*kind), name)};
    objects.push_back(o);
  } else {
    objects = store.list(*kind, ns, selector ? &*selector : nullptr);
  }
  if (fields) std::erase_if(objects, [&fields](const models::ObjectPtr& o) { return !fields->matches(*o); });
  if (f.output == "yaml" || f.output == "json") {
    // Without managedFields, as kubectl prints objects unless --show-managed-fields.
    auto printed = [&api_version](const models::ObjectPtr& o) {
      auto j = models::in_served_version(o->to_json(), o->info(), api_version);
      j["metadata"].erase("managedFields");
      return j;
    };
    models::Json out;
    if (objects.size() == 1 && !name.empty()) out = printed(objects[0]);
    else {
      out = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", models::Json::array()}};
      for (const auto& o : objects) out["items"].push_back(printed(o));
    }
    return {f.output == "yaml" ? models::to_yaml(out) : out.dump(4) + "\n", {}};
  }
  if (f.output == "name") {
    std::string text;
    for (const auto& o : objects) text += kind_resource_name(*kind) + "/" + o->metadata.name + "\n";
    return {text, {}};
  }
  if (!f.output.empty() && f.output != "wide")
    return {{}, fmt::format("error: unable to match a printer suitable for the output format \"{}\", allowed formats "
                            "are: json,name,wide,yaml",
                            f.output)};
  if (objects.empty()) {
    if (kind->namespaced && !f.all_namespaces) return {fmt::format("No resources found in {} namespace.\n", f.ns), {}};
    return {"No resources found\n", {}};
  }
  TableOptions opts;
  opts.wide = f.output == "wide";
  opts.all_namespaces = f.all_namespaces && kind->namespaced;
  opts.show_labels = f.has("show-labels");
  return {print_table(*kind, objects, cluster.now(), opts), {}};
}

}  // namespace

Outcome Executor::get(const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const Target target = parse_target(f.positional, "get (e.g. get vmis)");
  if (!target.error.empty()) return {{}, target.error};
  const auto* kind = target.kind;
  // A version named in the kind word (`vm.v1alpha3.kubevirt.io`): read in it, with its deprecation warning.
  const std::string api_version =
      target.version.empty() ? std::string(kind->api_version) : std::string(kind->group()) + "/" + target.version;
  return with_stderr(deprecation_line(*kind, api_version), get_objects(cluster_, *kind, api_version, target, f));
}

Outcome Executor::describe(const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  const Target target = parse_target(f.positional, "describe");
  if (!target.error.empty()) return {{}, target.error};
  const auto* kind = target.kind;
  const std::string name = target.names.empty() ? std::string() : target.names.front();
  std::vector<models::ObjectPtr> objects;
  if (name.empty()) objects = cluster_.store().list(*kind, kind->namespaced ? f.ns : "");
  else if (auto o = cluster_.store().get(*kind, kind->namespaced ? f.ns : "", name)) objects.push_back(o);
  else return {{}, fmt::format("Error from server (NotFound): {} \"{}\" not found", resource_name(*kind), name)};
  std::string text;
  for (const auto& o : objects) {
    if (!text.empty()) text += "\n\n";
    const auto related = describe_related(cluster_.store(), *o);
    text += commands::describe(*o, cluster_.store().events_for(o->metadata.uid), cluster_.now(),
                               related.empty() ? nullptr : &related);
  }
  return {text, {}};
}

Outcome Executor::apply(const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  if (f.file.empty()) return {{}, "error: must specify -f FILE"};
  // `-f -` reads what a pipe hands over; kubectl names it STDIN in its messages.
  if (f.file == "-" && !stdin_) return {{}, "error: -f - reads a pipe's output (e.g. process TEMPLATE | apply -f -)"};
  auto loaded = f.file == "-" ? models::load_manifests(*stdin_, "STDIN") : models::load_manifest_file(f.file);
  if (f.file == "-") f.file = "STDIN";
  if (!loaded.ok()) return {{}, models::join_lines(loaded.problems)};
  if (loaded.objects.empty()) return {{}, "error: no objects passed to apply"};
  auto& store = cluster_.store();
  // Check the whole file first: a file with one bad document applies nothing.
  for (const auto& o : loaded.objects) {
    if (o->info().namespaced && o->metadata.namespace_.empty()) o->metadata.namespace_ = f.ns;
    if (o->info().namespaced && !store.get(models::Namespace::kind_info(), "", o->metadata.namespace_))
      return {{}, fmt::format("Error from server (NotFound): error when creating \"{}\": namespaces \"{}\" not found",
                              f.file, o->metadata.namespace_)};
  }
  std::string text;
  std::set<std::string> warned;
  for (std::size_t i = 0; i < loaded.objects.size(); ++i) {
    const auto& o = loaded.objects[i];
    auto document = loaded.documents[i];
    // kubectl prints each distinct Warning once per run (its warning writer deduplicates).
    const auto warning = deprecation_line(o->info(), document.value("apiVersion", std::string()));
    if (!warning.empty() && warned.insert(warning).second) text += warning;
    if (o->info().namespaced) document["metadata"]["namespace"] = o->metadata.namespace_;
    const auto& info = o->info();
    const std::string ref = kind_resource_name(info);
    auto existing = store.get(info, o->metadata.namespace_, o->metadata.name);
    // KubeVirt's admission webhooks live in virt-api (failurePolicy Fail).
    if (const auto refused = kubevirt::virt_api_webhook_error(store, info); !refused.empty())
      return {text, existing ? "Error from server (InternalError): " + refused
                             : fmt::format("Error from server (InternalError): error when creating \"{}\": {}", f.file, refused)};
    if (!existing) {
      o->metadata.annotations[kLastAppliedAnnotation] = last_applied_value(document);
      auto r = store.create(o, kUser);
      if (!r.ok()) return {text, server_error(r)};
      text += fmt::format("{}/{} created\n", ref, r.object->metadata.name);
      continue;
    }
    models::DecodeContext ctx;
    ctx.file = f.file;
    auto next = applied_over(*existing, document, ctx);
    if (!next) return {text, models::join_lines(ctx.problems)};
    const auto before = existing->to_json(), after = next->to_json();
    if (before["metadata"] == after["metadata"] && before.value("spec", models::Json()) == after.value("spec", models::Json())) {
      text += fmt::format("{}/{} unchanged\n", ref, o->metadata.name);
      continue;
    }
    const bool spec_change = before.value("spec", models::Json()) != after.value("spec", models::Json());
    next->metadata.resourceVersion.clear();
    auto r = store.update(next, api::Cause{"user", "configured", "apply -f " + f.file}, spec_change);
    if (!r.ok()) return {text, server_error(r)};
    text += fmt::format("{}/{} configured\n", ref, o->metadata.name);
  }
  return {text, {}};
}

Outcome Executor::remove(const std::vector<std::string>& args) {
  Flags f = parse_flags(args);
  if (!f.error.empty()) return {{}, "error: " + f.error};
  Target target = parse_target(f.positional, "delete");
  if (!target.error.empty()) return {{}, target.error};
  const auto* kind = target.kind;
  auto& names = target.names;
  auto& store = cluster_.store();
  const std::string ns = kind->namespaced ? f.ns : std::string();
  if (f.all || !f.selector.empty()) {
    std::optional<models::LabelSelector> selector;
    if (!f.selector.empty()) {
      auto parsed = models::parse_selector(f.selector);
      if (!parsed.selector) return {{}, "error: invalid selector \"" + f.selector + "\": " + parsed.error};
      selector = parsed.selector;
    }
    for (const auto& o : store.list(*kind, ns, selector ? &*selector : nullptr)) names.push_back(o->metadata.name);
    if (names.empty()) return {fmt::format("No resources found\n"), {}};
  }
  if (names.empty()) return {{}, "error: resource(s) were provided, but no name was specified"};
  api::DeleteOptions options;
  std::string flag_error;
  if (auto grace = f.integer("grace-period", flag_error)) {
    // kubectl: a negative grace period means "the object's own default".
    if (*grace >= 0) options.grace_seconds = *grace;
  }
  if (!flag_error.empty()) return {{}, "error: " + flag_error};
  std::string warning;
  if (f.has("force")) {
    // kubectl turns --force with no grace period into grace 0 (with its warning);
    // a grace period above 0 with --force is refused.
    if (options.grace_seconds && *options.grace_seconds > 0)
      return {{}, "error: --force and --grace-period greater than 0 cannot be specified together"};
    options.grace_seconds = 0;
    warning = "Warning: Immediate deletion does not wait for confirmation that the running resource has been "
              "terminated. The resource may continue to run on the cluster indefinitely.\n";
  } else if (options.grace_seconds && *options.grace_seconds == 0) {
    // --grace-period=0 without --force means 1 s upstream (a graceful minimum).
    options.grace_seconds = 1;
  }
  const std::string cascade = f.value("cascade").value_or("background");
  if (cascade == "background" || cascade == "true") options.propagation = "Background";
  else if (cascade == "foreground") options.propagation = "Foreground";
  else if (cascade == "orphan" || cascade == "false") options.propagation = "Orphan";
  else
    return {{}, fmt::format("error: invalid cascade value ({}). Must be \"background\", \"foreground\", or \"orphan\"",
                            cascade)};
  std::string text = warning;
  const std::string ref = kind_resource_name(*kind);
  for (const auto& name : names) {
    auto r = store.remove(*kind, ns, name, api::Cause{"user", "", "delete " + std::string(kind->plural) + " " + name},
                          options);
    if (!r.ok()) return {text, server_error(r)};
    text += fmt::format("{} \"{}\" {}\n", ref, name, f.has("force") ? "force deleted" : "deleted");
  }
  return {text, {}};
}

Outcome Executor::lifecycle(const std::string& action, const std::vector<std::string>& args) {
  // virtctl's verb, through virt-api's routes: the same code `kvsim virtctl` runs over HTTPS.
  return virtctl_verb(cluster_, action, args);
}

Outcome Executor::advance(const std::vector<std::string>& args) {
  if (args.size() != 1) return {{}, "error: usage: advance DURATION (e.g. 30s, 5m)"};
  auto d = models::parse_duration(args[0]);
  if (!d) return {{}, fmt::format("error: advance: \"{}\" is not a duration (e.g. 30s, 5m, 1h)", args[0])};
  cluster_.run_until(cluster_.now() + *d);
  return {fmt::format("now {:.3f}s\n", cluster_.now()), {}};
}

}  // namespace kvsim::sim::commands
