#pragma once
// The one way kvsim parses YAML (and JSON, which it reads as YAML): manifests,
// scenarios, labs, the API endpoint's request bodies and kvsim's own re-parses.
//
// Why not YAML::Load: yaml-cpp 0.7 (Debian 12) loops forever, allocating as it
// goes, on inputs as small as a lone "," (upstream issue #1040, fixed by PR
// #1319 after 0.8.0). Here libyaml's event parser reads the text and the
// yaml-cpp nodes are built from its events, so yaml-cpp's parser never runs
// and its loops are unreachable by construction, not by a guess about which
// inputs reach them. libyaml is also what kubectl's YAML parser (go-yaml v2,
// a port of libyaml) accepts, so a manifest kvsim refuses is one kubectl refuses.
//
// Every input is bounded: its size, its number of documents, its nesting
// depth, the length of each scalar and its number of nodes, aliases expanded. Each cap
// gives a located error, so nothing a user writes can hang kvsim or exhaust
// its memory, and nesting stays shallow enough for the recursive decoders.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/decoder.hpp"
#include "models/codec/problem.hpp"

namespace kvsim::models {

struct InputLimits {
  // Ten times the largest file in the tree or in ../shared/fixtures (KubeVirt's
  // 730 KiB OpenAPI document; manifests are under 10 KiB).
  std::size_t max_bytes = 8 << 20;
  std::size_t max_documents = 10'000;
  // The deepest file in the tree or in the fixtures nests 14 levels (a lab's
  // inline scenario); the cap also bounds the recursion of every decoder.
  std::size_t max_depth = 100;
  // A ConfigMap (data and all) is at most 1 MiB in Kubernetes.
  std::size_t max_scalar_bytes = 1 << 20;
  // Nodes in one input, an alias (*name) counted as the nodes it repeats.
  // yaml-cpp's nodes are heavy: `kvsim validate` of a million took 2.6 s and
  // 500 MB here. Aliases of aliases would otherwise grow exponentially
  // ("billion laughs"). The fixtures' 730 KiB OpenAPI document has 30,733.
  std::size_t max_nodes = 250'000;
};

// Parses every document of `text`. Returns one node per document, built as
// yaml-cpp's LoadAll would build it (types, tags "?" for plain and "!" for
// quoted scalars, nulls, flow/block style, marks for location_of()), or
// nullopt with exactly one located problem appended to `problems`
// ("file:line:col: YAML: what, and the cap when a cap was passed"). Never
// throws on any input, never calls yaml-cpp's parser, and runs in time and
// memory linear in the input (bounded by `limits`). An empty input has no
// documents. Anchors are per document; an alias must follow its anchor's
// complete node (an alias inside its own anchor's node is refused).
std::optional<std::vector<YAML::Node>> parse_yaml_documents(std::string_view text, const std::string& file,
                                                            Problems& problems, const InputLimits& limits = {});

// As parse_yaml_documents, for inputs that are one document (a scenario, a
// lab, a request body): a second document is a located error; an empty input
// gives a Null node.
std::optional<YAML::Node> parse_yaml_document(std::string_view text, const std::string& file, Problems& problems,
                                              const InputLimits& limits = {});

// JSON that is not a manifest (an annotation holding JSON, a trace record),
// parsed with the same depth cap, so that nothing recursive downstream
// (dump(), merges) can overflow the stack; the caller caps its length.
// nlohmann's parser, not libyaml: these are JSON, not YAML (tabs, numbers),
// and nlohmann parses without recursion. Returns nullopt when the text is
// not JSON or nests deeper than limits.max_depth, with `error` saying why
// and at which byte (1-based).
struct JsonError {
  std::size_t byte = 0;
  std::string message;
};
std::optional<Json> parse_json_value(std::string_view text, JsonError& error, const InputLimits& limits = {});

// "8 MiB (8388608 bytes)": how a cap reads in a message.
std::string describe_bytes(std::size_t bytes);

}  // namespace kvsim::models
