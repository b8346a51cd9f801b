#pragma once
// OpenShift's template processing (openshift/library-go pkg/template/templateprocessing
// and pkg/template/generator), as `oc process` has the server run it. Pure: values drawn
// through `below` (the simulation's seeded RNG), so one seed gives one output.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "models/template.hpp"

namespace kvsim::sim::commands {

// A uniform draw in [0, n).
using Draw = std::function<std::uint64_t(std::uint64_t)>;

// The `expression` generator: each `[RANGES]{N}` (N in 1..255) becomes N characters drawn
// from RANGES, where a range `a-z` runs from its first character up to, but not including,
// its last, as library-go's alphabetSlice slices it (so [a-z0-9] never yields z or 9), and
// \w, \d, \a, \A are word characters, digits, alphanumerics and symbols. Sets `error` on a
// malformed expression, with the generator's text.
std::string generate_expression(std::string expression, const Draw& below, std::string& error);

struct ProcessedTemplate {
  models::Json objects = models::Json::array();  // the List's items
  std::string error;                           // as oc prints it, "error: ..." lines
};

// `oc process`: the user's NAME=VALUE pairs set parameters (an unknown name is refused
// unless `ignore_unknown`), the others are generated or keep their value, a required one
// left empty is refused, then every string of every object has ${NAME} replaced (and a
// whole-string ${{NAME}} replaced by the value as JSON, when it parses), a hard-coded
// metadata.namespace is emptied, and the template's labels are added to each object.
ProcessedTemplate process_template(models::Template t, const std::vector<std::pair<std::string, std::string>>& values,
                                   bool ignore_unknown, const Draw& below);

// The List `oc process` prints: JSON as Go's encoding/json indents it (4 spaces, kind and
// apiVersion first, <, > and & escaped) unless `yaml`.
std::string print_processed_list(const models::Json& objects, bool yaml);

// `oc process --parameters`: NAME, DESCRIPTION, GENERATOR, VALUE (the expression for a
// generated parameter), through a tabwriter of minimum width 20, padding 3.
std::string print_template_parameters(const models::Template& t);

}  // namespace kvsim::sim::commands
