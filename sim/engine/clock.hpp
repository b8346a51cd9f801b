#pragma once
// Sim time, for code that must not include SimGrid (controllers, the API).
namespace kvsim::sim::engine {

double now();

}  // namespace kvsim::sim::engine
