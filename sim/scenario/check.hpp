#pragma once
// Checks: declarative assertions over the cluster's objects, evaluated purely
// (an ObjectSource in, a verdict with a sentence out). A lab step's checks and a
// scenario's expectations are both these. No SimGrid here: the session and the
// scenario runner feed it the store (StoreObjects), the unit tests a plain list.
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/codec/problem.hpp"
#include "models/kind_info.hpp"
#include "models/label_selector.hpp"

namespace YAML {
class Node;
}
namespace kvsim::models {
struct DecodeContext;
}

namespace kvsim::sim::scenario {

// One check of a step. Either about one object (`object: vmi/vm1`) or a count
// of objects (`count: pods` with a selector).
struct Check {
  std::string name;
  std::string kind;  // the API kind (VirtualMachineInstance)
  std::string ns = "default";
  // One object:
  std::string object;
  bool exists = false;  // it must exist
  bool absent = false;  // it must not exist
  std::string field;    // dotted path (status.phase); with `equals`, else it must be set
  std::string equals;
  bool changed = false;  // the field differs from its value when the step began
  // Counting (`count: pods`): the objects of `kind` matching `selector` and
  // every `where` field, compared with `count`. Objects marked for deletion
  // (Terminating) are not counted, as a ReplicaSet does not count them.
  bool counting = false;
  std::string selector;  // -l syntax: app=web,tier in (a,b)
  std::optional<models::LabelSelector> parsed_selector;
  std::map<std::string, std::string> where;
  int count = 0;
  bool at_least = false;  // `atLeast: N` rather than `equals: N`
  // Both: only objects created after the step began (a UID not seen then).
  bool new_uid = false;
  // One object: the very object present when the step began (same UID).
  bool same_uid = false;
  // One object: the object present when the step began was deleted since (it is
  // gone, marked for deletion, or replaced by a new UID). Counting: how many of
  // the objects counted when the step began were (equals/atLeast).
  bool deleted = false;
  // The event that starts this check's clock, in the trainee's words (its name:
  // "your delete of VMI vm1"), itself a check: the first sim time it holds.
  // With `from`, the check passes only once the event has happened, and it
  // must hold at or after it. A lab's clock never counts from a step's start,
  // so that reading a step before acting cannot fail it.
  std::shared_ptr<const Check> from;
  // It must have held within this sim duration of the `from` event (required with within).
  std::optional<double> within;
  models::Location at;  // in lab.yaml, for messages about the check itself
};

// Reads objects; the store in a session, a fixed list in tests.
class ObjectSource {
 public:
  virtual ~ObjectSource() = default;
  virtual models::ObjectPtr get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const = 0;
  virtual std::vector<models::ObjectPtr> list(const models::KindInfo& kind, const std::string& ns,
                                              const models::LabelSelector* selector) const = 0;
};

// What a check saw when its step began: the UID and field value of its object,
// or the UIDs of the objects it counts.
struct Baseline {
  std::string uid;
  std::string value;
  std::set<std::string> uids;
  std::shared_ptr<const Baseline> from;  // the `from` event's, when the check has one
};
Baseline take_baseline(const Check& check, const ObjectSource& objects);

struct Verdict {
  bool held = false;
  std::string found;  // "expected ...; it ..." when it does not hold
};
// Does the check hold now?
Verdict evaluate(const Check& check, const ObjectSource& objects, const Baseline& baseline);

// A count check's parts, shared by the full evaluation and the incremental one (CountTracker):
// whether one object of the check's kind, namespace and selector is counted (not Terminating,
// new if asked, every `where` field as given), and the verdict on the names counted (in
// namespace/name order, as a list gives them).
bool counts(const Check& check, const Baseline& baseline, const models::Object& o);
Verdict count_verdict(const Check& check, const std::vector<std::string>& names);

// The grade of one check. `now` is its verdict at grading time, `event` its
// `from` event's. A check with `from` fails until the event has happened; with
// `within` too it passes when it first held (at or after the event) no later
// than event + within.
struct CheckResult {
  std::string name;
  bool passed = false;
  std::string message;  // why it failed, in the trainee's words; empty when it passed
  double at = -1;       // when it first held (sim seconds), -1 if never
};
struct CheckTiming {
  std::optional<double> event_at;    // when the `from` event first held; nullopt: not yet
  std::optional<double> first_held;  // when the check first held at or after it
  double now = 0;                    // sim time of the grading
};
CheckResult grade_check(const Check& check, const Verdict& now, const Verdict& event, const CheckTiming& timing);

// Grading as the sandbox does it, one check at a time: baselines taken when the
// step begins, then observe() on every change records when its `from` event
// happened and when it first held after it.
struct CheckClock {
  Baseline baseline;
  CheckTiming timing;
};
CheckClock start_clock(const Check& check, const ObjectSource& objects);
void observe(const Check& check, const ObjectSource& objects, double now, CheckClock& clock);
CheckResult grade_now(const Check& check, const ObjectSource& objects, double now, const CheckClock& clock);

// Reads one check (`name`, `object: KIND/NAME` or `count: KIND`, ...), located
// problems into ctx; `extra_keys` are the caller's own (a scenario's after/by).
Check read_check(const YAML::Node& n, const std::string& path, models::DecodeContext& ctx,
                 std::initializer_list<std::string_view> extra_keys = {});

// "VMI vm1", "pod web-0": how a check names an object to a trainee.
std::string describe_object(const Check& check);

}  // namespace kvsim::sim::scenario
