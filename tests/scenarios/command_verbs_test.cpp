// Tab completion offers the verbs of commands::command_verbs(): each must be
// one Executor::run dispatches, or completion would offer a command the shell
// then calls unknown.
#include "small_cluster.hpp"

#include "sim/commands/completion.hpp"

using namespace kvsim;

TEST_CASE("every verb Tab completes is one the shell runs") {
  sim::cluster::Cluster cluster{testing::small_cluster_options()};
  sim::commands::Executor exec(cluster);
  const sim::commands::CompletionContext context{cluster.store()};
  const auto offered = sim::commands::complete("", 0, context).candidates;
  REQUIRE(offered.size() == sim::commands::command_verbs().size());
  for (const auto& verb : offered) {
    if (verb == "quit") continue;  // the shells' loops end on it before the executor sees it
    const auto out = exec.run(verb);
    INFO(verb << " -> " << out.error);
    CHECK_FALSE(out.error.starts_with("error: unknown command"));
  }
  CHECK(exec.run("frobnicate").error.starts_with("error: unknown command"));  // the check above can fail
}
