#include "sim/engine/simgrid_engine.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <simgrid/s4u.hpp>

namespace kvsim::sim::engine {

namespace sg4 = simgrid::s4u;

namespace {

// Every actor gets a stack of this size. Measured in the 1k-VM scale run (RSS of each stack
// mapping in /proc/PID/smaps): 8-16 KiB touched per reactor or waiter, one mapping of that
// size at 900 KiB (not identified; an actor's deep call cannot be ruled out). 1 MiB keeps room
// for it and for deeper calls (libvirt's XML parser in hybrid mode), and costs only the pages
// touched, because such stacks are mapped from the kernel (below). SimGrid's default is 8 MiB.
constexpr int kActorStackKiB = 1024;
// Guard pages turn a stack overflow into a crash instead of silent corruption, at the price of
// two memory mappings per actor; Linux allows 65,530 by default, so platforms with more nodes
// than this (about three actors each) go without.
constexpr std::size_t kGuardedNodesUpTo = 4000;

}  // namespace

sg4::Engine& simgrid_engine(std::size_t nodes) {
  // Actor stacks come from malloc: above this size glibc maps them from the kernel, whose pages
  // stay unbacked until touched, so an actor costs the RSS of the stack it really uses. Fixing
  // the threshold stops glibc from raising it when a mapped block is freed (an actor ending),
  // after which stacks would come from the heap and calloc would zero them in full. With
  // jemalloc (sim/CMakeLists.txt) this call changes nothing: jemalloc maps blocks this large
  // from the kernel too (the 10k-VM run's peak RSS is the same with either).
  [[maybe_unused]] static const bool tuned = mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1;
  static int argc = 2;
  static char name[] = "kvsim";
  static char log[] = "--log=root.thresh:critical";
  static char* argv[] = {name, log, nullptr};
  static sg4::Engine engine(&argc, argv);
  sg4::Engine::set_config(fmt::format("contexts/stack-size:{}", kActorStackKiB));
  sg4::Engine::set_config(fmt::format("contexts/guard-size:{}", nodes > kGuardedNodesUpTo ? 0 : 1));
  return engine;
}

}  // namespace kvsim::sim::engine
