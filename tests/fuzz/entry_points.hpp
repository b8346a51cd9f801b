#pragma once
// What the fuzz targets feed arbitrary bytes to, one function per target, and
// what tests/unit/regression_inputs_test.cpp replays every kept finding
// through. Each returns what a user would be shown: "ok: ..." or the located
// problems. Each aborts (a finding) when an invariant of its input path
// breaks, e.g. a manifest kvsim accepted whose printed YAML it then refuses.
#include <string>
#include <string_view>

namespace kvsim::fuzz {

// `kvsim validate` / `apply -f`: decoding and admission of a manifest file,
// then the accepted objects printed as `get -o yaml` prints them and read back.
std::string manifests(std::string_view data);
// The shell's parsing of a line (one per line of `data`): word splitting,
// flags, the target kind and names, label selectors and durations; nothing is run.
std::string command_lines(std::string_view data);
// A scenario file read (not run); its objects, as kept for the run, load again.
std::string scenario(std::string_view data);
// A lab.yaml read (not run).
std::string lab(std::string_view data);
// A trace for `kvsim diff`, compared with itself and with itself less a record.
std::string trace(std::string_view data);
// One request to the Kubernetes API endpoint's handler, on a small cluster
// made once per process (a SimGrid engine cannot be made twice): the first
// line is "METHOD TARGET" (path and query), the second the Content-Type, the
// rest the body. The answer must be a valid status with a JSON body.
std::string api_request(std::string_view data);

}  // namespace kvsim::fuzz
