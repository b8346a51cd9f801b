#pragma once
// A store on its own, without a cluster, holding the `default` Namespace that admission asks
// for: for tests of the store's own bookkeeping (watches, indexes, Events).
#include <catch2/catch.hpp>

#include <memory>

#include "models/core.hpp"
#include "sim/api/store.hpp"
#include "sim/engine/rng.hpp"
#include "sim/engine/trace.hpp"

namespace kvsim::testing {

struct BareStore {
  sim::engine::Rng rng{1};
  sim::engine::Trace trace;
  sim::api::Store store{rng, trace};
  const sim::api::Cause cause{"test", {}, {}};

  BareStore() {
    auto ns = std::make_shared<models::Namespace>();
    ns->apiVersion = "v1";
    ns->kind = "Namespace";
    ns->metadata.name = "default";
    REQUIRE(store.create(ns, cause).ok());
  }
};

}  // namespace kvsim::testing
