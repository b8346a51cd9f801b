#pragma once
// What the tests read from this build: generated into the build folder by tests/CMakeLists.txt,
// so that no test file is compiled with a path of its own clone (sim/build_paths.hpp says why).
namespace kvsim::test_paths {

const char* kvsim_binary();           // the kvsim executable of this build
const char* fixtures_dir();           // ../shared/fixtures beside the checkout (absolute)
const char* regression_inputs_dir();  // tests/regression-inputs: inputs that once hung or crashed kvsim

}  // namespace kvsim::test_paths
