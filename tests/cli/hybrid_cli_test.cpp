// Hybrid mode through the kvsim binary: --hypervisor on run and shell, its bad values.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>
#include "sim/build_paths.hpp"
#include "tests/test_paths.hpp"

namespace {

std::string run_kvsim(const std::string& args, int* status) {
  const std::string cmd = std::string(kvsim::test_paths::kvsim_binary()) + " " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  *status = WEXITSTATUS(pclose(p));
  return out;
}

}  // namespace

TEST_CASE("run --hypervisor test:///default runs the default scenario's VM on libvirt's test driver") {
  int status = -1;
  const auto out = run_kvsim("run " + std::string(kvsim::build_paths::source_dir()) + "/scenarios/default.yaml --quiet --hypervisor test:///default", &status);
  INFO(out);
  CHECK(status == 0);
  // The test driver starts a domain at once: Running as soon as virt-launcher's start call returns.
  CHECK_THAT(out, Catch::Contains("PASS  the VM is Running before the delete (at 7.765s)"));
  CHECK_THAT(out, Catch::Contains("3 passed, 0 failed"));
}

TEST_CASE("shell --hypervisor test:///default: the VMI runs on the test driver, which has no serial console") {
  int status = -1;
  const auto out = run_kvsim("shell " + std::string(kvsim::build_paths::source_dir()) +
                                 "/scenarios/default.yaml --hypervisor test:///default <<'EOF'\nadvance 10s\nget vmi\n"
                                 "console vm1 --exec hostname\nEOF",
                             &status);
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("vm1    10s   Running"));
  CHECK_THAT(out, Catch::Contains("error: can't access VMI vm1: libvirt's test driver (test:///default) runs no guest, "
                                  "so its domains have no serial console"));
}

TEST_CASE("the --hypervisor option refuses a value that is neither sim nor a libvirt URI and runs nothing") {
  int status = -1;
  const auto out = run_kvsim("run default --hypervisor qemu", &status);
  CHECK(status == 1);
  CHECK(out == "error: --hypervisor: \"qemu\" is neither sim nor a libvirt URI (test:///default, qemu:///system, "
               "qemu+ssh://user@host/system)\n");
}
