#pragma once
// A watch (`?watch=1`): a chunked stream of {"type","object"} lines, from the
// resourceVersion asked for (or, with none or "0", the current objects as
// ADDED first, which `kubectl get NAME -w` expects and hides), filtered by
// namespace and selectors, as Tables when the client asked for Tables
// (`kubectl get -w`). It stays open until timeoutSeconds of wall time, or the
// client leaves. An object that stops matching the selectors is reported
// DELETED, and one that starts matching ADDED, as upstream's watch cache does.
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/selectors.hpp"
#include "sim/apiserver/watch_hub.hpp"

namespace kvsim::sim::apiserver {

Reply open_watch(cluster::Cluster& cluster, WatchHub& hub, const Request& request, const ResourcePath& path,
                 Selectors selectors);

}  // namespace kvsim::sim::apiserver
