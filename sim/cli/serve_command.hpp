#pragma once
// `kvsim serve [SCENARIO|LAB]`, and the `--serve` flags the TUI, the shell and
// `lab start` share: the cluster answers the real kubectl over HTTPS while sim
// time runs paced to wall time.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

#include "sim/apiserver/endpoint.hpp"
#include "sim/cluster/cluster.hpp"

namespace kvsim::sim::cli {

struct ServeFlags {
  bool enabled = false;  // --serve (implied by `kvsim serve`)
  apiserver::EndpointOptions endpoint;
  double speed = 1.0;  // sim seconds per wall second
};

// Adds --port, --address, --allow-remote, --kubeconfig-out and --speed to
// `command`, and --serve itself unless `implied`.
void add_serve_flags(CLI::App* command, const std::shared_ptr<ServeFlags>& flags, bool implied);

// Opens the endpoint the flags describe on `cluster`, or nothing when they do
// not ask for one. Throws std::runtime_error with the user's sentence.
std::unique_ptr<apiserver::Endpoint> open_endpoint(cluster::Cluster& cluster, const ServeFlags& flags);

// Until SIGINT or SIGTERM (or `stop` says so): sim time paced to wall time x
// speed, the endpoint answered between steps, `each_turn` after each.
void serve_paced(cluster::Cluster& cluster, apiserver::Endpoint& endpoint, double speed,
                 const std::function<bool()>& keep_going = {});

// `kvsim serve NAME`'s whole run: builds the scenario's or the lab's cluster,
// serves it until interrupted; the exit status.
int serve_target(const std::string& name, const ServeFlags& flags, bool quiet);

// The flags again, as arguments (for `lab reset`, which restarts kvsim): the
// same port and kubeconfig file, so the trainee's KUBECONFIG stays right.
std::vector<std::string> serve_arguments(const ServeFlags& flags);

void add_serve_command(CLI::App& app);

}  // namespace kvsim::sim::cli
