#pragma once
// Where this build's checkout and hybrid guest are. The paths are compiled into one small
// generated file (build_paths.cpp.in, configured into the build folder) rather than passed as
// defines to the files that read them: a path on a compiler's command line differs from one
// clone to the next, and so every clone missed ccache for those files (15 of 65 compiler runs,
// about 110 s of a fresh clone's 130 s warm build, measured).
namespace kvsim::build_paths {

// The checkout: where the binary finds scenarios/ and labs/ when run from it.
const char* source_dir();
// Where scripts/setup --hybrid builds the guest (vmlinuz, initrd.img); KVSIM_GUEST_DIR in the
// environment overrides it (sim/hypervisor/libvirt_hypervisor.cpp).
const char* guest_dir();

}  // namespace kvsim::build_paths
