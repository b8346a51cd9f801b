// Tab completion, the one source of the shell's and the TUI's prompts: verbs,
// kinds with their short names, and object names from a small cluster.
#include "sim/commands/completion.hpp"

#include "tui_fixtures.hpp"

using kvsim::sim::commands::complete;
using kvsim::sim::commands::CompletionContext;
using kvsim::sim::commands::list_candidates;
using Words = std::vector<std::string>;

namespace {

struct Cluster : tui_fixtures::World {
  Cluster() {
    node("worker-1"), node("worker-2"), node("control-plane-1");
    auto a = vm("vm-alpha"), b = vm("vm-beta");
    vm("db");
    vmi("vm-alpha", a, "worker-1");
    vmi("vm-beta", b, "worker-2");
    create("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n");
    create("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: vm-gamma, namespace: other}\n"
           "spec:\n  runStrategy: Always\n  template:\n    spec:\n      domain:\n        devices: {}\n"
           "        memory: {guest: 1Gi}\n");
  }
  CompletionContext context(std::string ns = "default") { return {store, std::move(ns)}; }
};

// Completes at the end of the line.
kvsim::sim::commands::Completion at_end(const std::string& line, const CompletionContext& context) {
  return complete(line, line.size(), context);
}

}  // namespace

TEST_CASE("Tab on the first word offers the shell's verbs, and types the one a prefix names") {
  Cluster c;
  auto ctx = c.context();
  auto got = at_end("desc", ctx);
  CHECK(got.candidates == Words{"describe"});
  CHECK(got.insertion == "ribe ");
  CHECK(got.start == 0);
  got = at_end("mi", ctx);
  CHECK(got.candidates == Words{"migrate", "migrate-cancel"});
  CHECK(got.insertion == "grate");
  got = at_end("st", ctx);
  CHECK(got.candidates == Words{"start", "stop"});
  CHECK(got.insertion == "");  // nothing shared past "st": the prompt lists them
  CHECK(at_end("oc get", ctx).candidates == Words{"get"});  // after oc, kubectl or virtctl as without
  CHECK(at_end("frobnicate", ctx).candidates.empty());
  ctx.extra_verbs = {{"lab", {"grade", "hint"}}};
  CHECK(at_end("la", ctx).candidates == Words{"lab"});
  CHECK(at_end("lab g", ctx).insertion == "rade ");
}

TEST_CASE("Tab after get, describe or delete offers kinds by every name kubectl takes, short ones included") {
  Cluster c;
  const auto ctx = c.context();
  const auto vm_kinds = at_end("get virtualmachinei", ctx);
  CHECK(vm_kinds.candidates == Words{"virtualmachineinstance", "virtualmachineinstancemigration",
                                     "virtualmachineinstancemigrations", "virtualmachineinstancereplicaset",
                                     "virtualmachineinstancereplicasets", "virtualmachineinstances",
                                     "virtualmachineinstancetype", "virtualmachineinstancetypes"});
  const auto short_names = at_end("describe vmi", ctx);
  CHECK(short_names.candidates ==
        Words{"vmi", "vmim", "vmims", "vminstancetype", "vminstancetypes", "vmirs", "vmirss", "vmis"});
  CHECK(at_end("delete deploy", ctx).candidates == Words{"deploy", "deployment", "deployments"});
  CHECK(at_end("get persistentvolumec", ctx).insertion == "laim");  // claim and claims share it
}

TEST_CASE("Tab after a kind offers the names of its objects in the namespace the command runs in") {
  Cluster c;
  auto ctx = c.context();
  auto got = at_end("get vmi vm-", ctx);
  CHECK(got.candidates == Words{"vm-alpha", "vm-beta"});
  CHECK(got.insertion.empty());
  got = at_end("get vmi vm-a", ctx);
  CHECK(got.candidates == Words{"vm-alpha"});
  CHECK(got.insertion == "lpha ");
  CHECK(at_end("describe vms ", ctx).candidates == Words{"db", "vm-alpha", "vm-beta"});
  CHECK(at_end("get vms -n other ", ctx).candidates == Words{"vm-gamma"});
  CHECK(at_end("get vms --namespace=other vm", ctx).candidates == Words{"vm-gamma"});
  CHECK(at_end("get vms -A vm-", ctx).candidates == Words{"vm-alpha", "vm-beta", "vm-gamma"});
  CHECK(at_end("get vmi/vm-b", ctx).candidates == Words{"vmi/vm-beta"});
  CHECK(at_end("get nodes w", ctx).candidates == Words{"worker-1", "worker-2"});  // nodes have no namespace
  CHECK(at_end("get vms -n ", ctx).candidates == Words{"default", "other"});
  CHECK(at_end("get vms -o y", ctx).candidates == Words{"yaml"});
  CHECK(at_end("get nosuchkind ", ctx).candidates.empty());
  // The TUI showing all namespaces: names from all of them.
  CHECK(at_end("get vm vm-", c.context("")).candidates == Words{"vm-alpha", "vm-beta", "vm-gamma"});
}

TEST_CASE("Tab after a verb that names its object offers the names of that kind: VMs, VMIs, nodes") {
  Cluster c;
  const auto ctx = c.context();
  CHECK(at_end("start ", ctx).candidates == Words{"db", "vm-alpha", "vm-beta"});
  CHECK(at_end("migrate vm-b", ctx).insertion == "eta ");
  CHECK(at_end("console ", ctx).candidates == Words{"vm-alpha", "vm-beta"});
  CHECK(at_end("node ", ctx).candidates == Words{"add", "fail", "recover"});
  CHECK(at_end("node fail w", ctx).candidates == Words{"worker-1", "worker-2"});
  CHECK(at_end("node fail w", ctx).insertion == "orker-");
  CHECK(at_end("node add w", ctx).candidates.empty());  // a new node's name is the user's
  CHECK(at_end("drain c", ctx).insertion == "ontrol-plane-1 ");
  CHECK(at_end("pause vmi v", ctx).candidates == Words{"vm-alpha", "vm-beta"});
  CHECK(at_end("scale v", ctx).candidates == Words{"vmirs/"});
  CHECK(at_end("scale v", ctx).insertion == "mirs/");  // no space: the name follows
  CHECK(at_end("port-forward vmi/", ctx).candidates == Words{"vmi/vm-alpha", "vmi/vm-beta"});
}

TEST_CASE("Tab offers nothing inside a quote, for a flag, or after a command's free argument") {
  Cluster c;
  const auto ctx = c.context();
  CHECK(at_end("console vm-alpha --exec 'un", ctx).candidates.empty());
  CHECK(at_end("get vmi --show", ctx).candidates.empty());
  CHECK(at_end("advance ", ctx).candidates.empty());
  CHECK(at_end("get vmi vm-alpha -l ", ctx).candidates.empty());
}

TEST_CASE("Tab in the middle of a line completes the word before the cursor") {
  Cluster c;
  const auto got = complete("get vmi vm-a -o wide", 12, c.context());
  CHECK(got.start == 8);
  CHECK(got.word == "vm-a");
  CHECK(got.insertion == "lpha ");
}

TEST_CASE("candidates Tab could not choose between are listed on one line, the rest counted") {
  const Words names{"worker-1", "worker-2", "worker-3", "worker-4"};
  CHECK(list_candidates(names, 80) == "worker-1  worker-2  worker-3  worker-4");
  CHECK(list_candidates(names, 38) == "worker-1  worker-2  worker-3  worker-4");  // exactly
  CHECK(list_candidates(names, 37) == "worker-1  worker-2  (+2 more)");
  CHECK(list_candidates(names, 5) == "(+4 more)");
}
