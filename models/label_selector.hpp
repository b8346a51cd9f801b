#pragma once
// Label selectors: the structured form of workload specs (matchLabels +
// matchExpressions) and the string form of `-l` on the command line.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvsim::models {

using Labels = std::map<std::string, std::string>;

struct LabelSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist (and Gt, Lt for node selector terms)
  std::vector<std::string> values;
};

// A structured selector as it appears in a spec. The empty selector matches
// every object; "no selector at all" (null) is std::nullopt<LabelSelector> at
// the call site and matches nothing.
struct LabelSelector {
  Labels matchLabels;
  std::vector<LabelSelectorRequirement> matchExpressions;

  bool empty() const { return matchLabels.empty() && matchExpressions.empty(); }
  bool matches(const Labels& labels) const;
};

// True when the requirement holds for these labels. Gt/Lt compare the label
// value and the single requirement value as integers (node affinity only).
bool requirement_matches(const LabelSelectorRequirement& r, const Labels& labels);

// Validation as the API server does it. Each problem is "<field path>: message",
// e.g. "spec.selector.matchExpressions[0].values: Required value: must be
// specified when `operator` is 'In' or 'NotIn'". `path` is the selector's own
// field path ("spec.selector"). allow_gt_lt admits Gt/Lt (node selector terms).
std::vector<std::string> validate_selector(const LabelSelector& s, std::string_view path,
                                           bool allow_gt_lt = false);

// The `-l` string form: "app=web,tier!=db,env in (prod,qa),!legacy,release".
// Operators: =, ==, !=, in, notin, exists (bare key), !key. Returns the selector
// or an error message naming the offending position.
struct ParsedSelector {
  std::optional<LabelSelector> selector;
  std::string error;
};
ParsedSelector parse_selector(std::string_view text);

// kubectl's string form of a structured selector (for describe and errors):
// "app=web,tier in (a,b)" with keys in order.
std::string to_string(const LabelSelector& s);

}  // namespace kvsim::models
