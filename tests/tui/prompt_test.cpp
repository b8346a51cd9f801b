// The `:` prompt runs commands in the namespace the UI shows.
#include <catch2/catch.hpp>

#include "tui/views/prompt.hpp"

using kvsim::tui::views::in_namespace;

TEST_CASE("a prompt command runs in the shown namespace unless it names one or takes none") {
  CHECK(in_namespace("delete pod virt-handler-x", "openshift-cnv") == "delete pod virt-handler-x -n openshift-cnv");
  CHECK(in_namespace("oc get pods", "openshift-cnv") == "oc get pods -n openshift-cnv");
  CHECK(in_namespace("get pods -n default", "openshift-cnv") == "get pods -n default");
  CHECK(in_namespace("get pods -A", "openshift-cnv") == "get pods -A");
  CHECK(in_namespace("get pods --namespace=x", "openshift-cnv") == "get pods --namespace=x");
  CHECK(in_namespace("node fail worker-2", "openshift-cnv") == "node fail worker-2");
  CHECK(in_namespace("advance 30s", "openshift-cnv") == "advance 30s");
  CHECK(in_namespace("get pods", "") == "get pods");  // all namespaces shown: the command's own default
  CHECK(in_namespace("get 'unterminated", "x") == "get 'unterminated");
}
