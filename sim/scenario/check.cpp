#include "sim/scenario/check.hpp"

#include <fmt/format.h>

#include "models/duration.hpp"
#include "models/registry.hpp"
#include "sim/scenario/field_value.hpp"
#include "sim/scenario/scenario.hpp"

namespace kvsim::sim::scenario {
namespace {

// The names a trainee reads in `oc get` output and the course text.
std::string short_kind(const std::string& kind) {
  static const std::map<std::string, std::string> names = {
      {"VirtualMachineInstance", "VMI"},
      {"VirtualMachine", "VM"},
      {"VirtualMachineInstanceMigration", "VMIM"},
      {"VirtualMachineInstanceReplicaSet", "VMIRS"},
      {"PersistentVolumeClaim", "PVC"},
      {"PersistentVolume", "PV"},
      {"NetworkAttachmentDefinition", "NAD"},
      {"Pod", "pod"},
      {"Node", "node"},
  };
  auto it = names.find(kind);
  return it == names.end() ? kind : it->second;
}

std::string plural_kind(const std::string& kind, int n) {
  const std::string k = short_kind(kind);
  return n == 1 ? k : k + "s";
}

// field_value's dotted path, except that a label or annotation key is taken
// whole: metadata.labels.kubevirt.io/nodeName is the key "kubevirt.io/nodeName".
std::string value_at(const models::Object& o, const std::string& path) {
  for (const auto& [prefix, map] : {std::pair{std::string_view("metadata.labels."), &o.metadata.labels},
                                    std::pair{std::string_view("metadata.annotations."), &o.metadata.annotations}})
    if (path.starts_with(prefix)) {
      auto it = map->find(path.substr(prefix.size()));
      return it == map->end() ? std::string() : it->second;
    }
  return scenario::field_value(o, path);
}

bool where_matches(const Check& check, const models::Object& o) {
  for (const auto& [field, value] : check.where)
    if (value_at(o, field) != value) return false;
  return true;
}

std::string where_text(const Check& check) {
  std::string text;
  for (const auto& [field, value] : check.where) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", field, value);
  return text;
}

// "132 s": how long something took, as the trainee reads it.
std::string span(double seconds) {
  return seconds < 10 ? fmt::format("{:.1f} s", seconds) : fmt::format("{:.0f} s", seconds);
}

// What it was that held, in the past tense: "the new VMI vm1 was Running".
std::string held_phrase(const Check& c) {
  if (c.counting) {
    if (c.deleted) return fmt::format("{}{} {} were deleted", c.at_least ? "at least " : "", c.count, plural_kind(c.kind, c.count));
    std::string what = plural_kind(c.kind, c.count);
    if (c.new_uid) what = "new " + what;
    if (!c.selector.empty()) what += fmt::format(" matching {}", c.selector);
    if (!c.where.empty()) what += fmt::format(" with {}", where_text(c));
    return fmt::format("{}{} {} were there", c.at_least ? "at least " : "", c.count, what);
  }
  const std::string who = (c.new_uid ? "the new " : "") + describe_object(c);
  if (c.deleted) return who + " was deleted";
  if (c.absent) return who + " was gone";
  if (c.field == "status.phase" && !c.equals.empty()) return who + " was " + c.equals;
  if (!c.field.empty() && !c.equals.empty()) return fmt::format("{} {} was \"{}\"", who, c.field, c.equals);
  if (!c.field.empty()) return fmt::format("{} {} was {}", who, c.field, c.changed ? "changed" : "set");
  return who + " was there";
}

const Baseline& event_baseline(const Baseline& b) {
  static const Baseline none;
  return b.from ? *b.from : none;
}

std::vector<models::ObjectPtr> counted(const Check& check, const ObjectSource& objects, const models::KindInfo& kind) {
  const models::LabelSelector* selector = check.parsed_selector ? &*check.parsed_selector : nullptr;
  return objects.list(kind, kind.namespaced ? check.ns : std::string(), selector);
}

// How many of the objects counted when the step began are gone or marked for
// deletion now. All of the kind's objects are read, not only the selected: an
// object relabelled out of the selector was not deleted.
Verdict evaluate_deleted_count(const Check& check, const ObjectSource& objects, const Baseline& baseline,
                               const models::KindInfo& kind) {
  std::set<std::string> live;
  for (const auto& o : objects.list(kind, kind.namespaced ? check.ns : std::string(), nullptr))
    if (!o->metadata.deletionTimestamp) live.insert(o->metadata.uid);
  int n = 0;
  for (const auto& uid : baseline.uids) n += live.contains(uid) ? 0 : 1;
  if (check.at_least ? n >= check.count : n == check.count) return {true, {}};
  std::string what = plural_kind(check.kind, static_cast<int>(baseline.uids.size()));
  if (!check.selector.empty()) what += fmt::format(" matching {}", check.selector);
  return {false, fmt::format("expected {}{} of the {} {} there when the step began to be deleted; {} {}", check.at_least ? "at least " : "",
                             check.count, baseline.uids.size(), what, n, n == 1 ? "is" : "are")};
}

Verdict evaluate_count(const Check& check, const ObjectSource& objects, const Baseline& baseline,
                       const models::KindInfo& kind) {
  if (check.deleted) return evaluate_deleted_count(check, objects, baseline, kind);
  std::vector<std::string> names;
  for (const auto& o : counted(check, objects, kind))
    if (counts(check, baseline, *o)) names.push_back(o->metadata.name);
  return count_verdict(check, names);
}

Verdict evaluate_object(const Check& check, const ObjectSource& objects, const Baseline& baseline,
                        const models::KindInfo& kind) {
  const auto o = objects.get(kind, kind.namespaced ? check.ns : std::string(), check.object);
  const std::string who = describe_object(check);
  if (check.deleted) {
    if (baseline.uid.empty()) return {false, fmt::format("expected {} to be deleted; there was none when the step began", who)};
    if (!o || o->metadata.uid != baseline.uid || o->metadata.deletionTimestamp) return {true, {}};
    return {false, fmt::format("expected {} to be deleted; it is still there (uid {})", who, o->metadata.uid)};
  }
  if (check.absent) {
    if (!o) return {true, {}};
    const std::string phase = scenario::field_value(*o, "status.phase");
    const std::string deleting = o->metadata.deletionTimestamp ? ", marked for deletion" : "";
    return {false, fmt::format("expected {} to be gone; it still exists (uid {}{}{})", who, o->metadata.uid,
                               phase.empty() ? "" : ", phase " + phase, deleting)};
  }
  if (!o) {
    if (check.new_uid && check.field.empty())
      return {false, fmt::format("expected {} to be re-created with a new UID; there is none", who)};
    if (check.field.empty()) return {false, fmt::format("expected {} to exist; there is none", who)};
    return {false, fmt::format("expected {} with {} {}; there is no {}", who, check.field,
                               check.equals.empty() ? std::string("set") : check.equals, who)};
  }
  if (check.new_uid && o->metadata.uid == baseline.uid)
    return {false, fmt::format("expected {} to be re-created with a new UID; it still has uid {}", who, o->metadata.uid)};
  if (check.same_uid && o->metadata.uid != baseline.uid)
    return {false, baseline.uid.empty()
                       ? fmt::format("expected {} to be the one present when the step began; there was none then", who)
                       : fmt::format("expected {} to keep uid {}; it is a new object, uid {}", who, baseline.uid, o->metadata.uid)};
  if (check.field.empty()) return {true, {}};
  const std::string value = value_at(*o, check.field);
  const std::string shown = value.empty() ? "unset" : "\"" + value + "\"";
  if (check.changed && value == baseline.value)
    return {false, fmt::format("expected {} {} to change from \"{}\"; it has not", who, check.field, baseline.value)};
  if (!check.equals.empty() && value != check.equals)
    return {false, fmt::format("expected {} {} to be \"{}\"; it is {}", who, check.field, check.equals, shown)};
  if (check.equals.empty() && !check.changed && value.empty())
    return {false, fmt::format("expected {} {} to be set; it is unset", who, check.field)};
  return {true, {}};
}

}  // namespace

bool counts(const Check& check, const Baseline& baseline, const models::Object& o) {
  if (o.metadata.deletionTimestamp) return false;
  if (check.new_uid && baseline.uids.contains(o.metadata.uid)) return false;
  return where_matches(check, o);
}

Verdict count_verdict(const Check& check, const std::vector<std::string>& names) {
  const int n = static_cast<int>(names.size());
  if (check.at_least ? n >= check.count : n == check.count) return {true, {}};
  std::string what = plural_kind(check.kind, check.count);
  if (check.new_uid) what = "new " + what;
  if (!check.selector.empty()) what += fmt::format(" matching {}", check.selector);
  if (!check.where.empty()) what += fmt::format(" with {}", where_text(check));
  std::string listed = names.empty() ? std::string() : fmt::format(": {}", fmt::join(names, ", "));
  return {false, fmt::format("expected {}{} {}; found {}{}", check.at_least ? "at least " : "", check.count, what, n, listed)};
}

std::string describe_object(const Check& check) {
  const auto* kind = models::find_kind(check.kind);
  const bool namespaced = kind && kind->namespaced;
  const std::string ns = namespaced && check.ns != "default" ? fmt::format(" in namespace {}", check.ns) : "";
  return fmt::format("{} {}{}", short_kind(check.kind), check.object, ns);
}

Baseline take_baseline(const Check& check, const ObjectSource& objects) {
  Baseline b;
  if (check.from) b.from = std::make_shared<const Baseline>(take_baseline(*check.from, objects));
  const auto* kind = models::find_kind(check.kind);
  if (!kind) return b;
  if (check.counting) {
    for (const auto& o : counted(check, objects, *kind)) b.uids.insert(o->metadata.uid);
    return b;
  }
  if (auto o = objects.get(*kind, kind->namespaced ? check.ns : std::string(), check.object)) {
    b.uid = o->metadata.uid;
    if (!check.field.empty()) b.value = value_at(*o, check.field);
  }
  return b;
}

Verdict evaluate(const Check& check, const ObjectSource& objects, const Baseline& baseline) {
  const auto* kind = models::find_kind(check.kind);
  if (!kind) return {false, fmt::format("unknown kind \"{}\"", check.kind)};
  return check.counting ? evaluate_count(check, objects, baseline, *kind)
                        : evaluate_object(check, objects, baseline, *kind);
}

CheckResult grade_check(const Check& check, const Verdict& now, const Verdict& event, const CheckTiming& timing) {
  CheckResult r{check.name, false, {}, timing.first_held.value_or(-1)};
  if (!check.from) {
    r.passed = now.held;
    r.message = now.found;
    return r;
  }
  const std::string& what = check.from->name;
  if (!timing.event_at) {
    r.at = -1;
    r.message = event.found.empty() ? fmt::format("{} has not happened yet, and this check counts from it", what)
                                    : fmt::format("{} has not happened yet ({}), and this check counts from it", what, event.found);
    return r;
  }
  if (!check.within) {
    r.passed = now.held;
    r.message = now.found;
    return r;
  }
  const double since = *timing.event_at;
  const double deadline = since + *check.within;
  const std::string window = span(*check.within);
  if (timing.first_held && *timing.first_held <= deadline + 1e-9) {
    r.passed = true;
    return r;
  }
  if (timing.first_held)
    r.message = fmt::format("{} {} after {}; this step expects it within {}", held_phrase(check), span(*timing.first_held - since),
                            what, window);
  else if (timing.now > deadline + 1e-9)
    r.message = fmt::format("{}, {} after {}; this step expects it within {}", now.found, span(timing.now - since), what, window);
  else
    r.message = fmt::format("not yet: {}; {} left of the {} after {}", now.found, span(deadline - timing.now), window, what);
  return r;
}

CheckClock start_clock(const Check& check, const ObjectSource& objects) {
  CheckClock clock;
  clock.baseline = take_baseline(check, objects);
  return clock;
}

void observe(const Check& check, const ObjectSource& objects, double now, CheckClock& clock) {
  if (!check.from) return;
  auto& t = clock.timing;
  if (!t.event_at) {
    if (!evaluate(*check.from, objects, event_baseline(clock.baseline)).held) return;
    t.event_at = now;
  }
  if (!t.first_held && evaluate(check, objects, clock.baseline).held) t.first_held = now;
}

CheckResult grade_now(const Check& check, const ObjectSource& objects, double now, const CheckClock& clock) {
  const Verdict verdict = evaluate(check, objects, clock.baseline);
  Verdict event{true, {}};
  CheckTiming t = clock.timing;
  t.now = now;
  if (check.from) {
    if (!t.event_at) {
      event = evaluate(*check.from, objects, event_baseline(clock.baseline));
      if (event.held) t.event_at = now;
    }
    if (t.event_at && !t.first_held && verdict.held) t.first_held = now;
  } else if (verdict.held) {
    t.first_held = now;  // untimed: it holds at the grading
  }
  return grade_check(check, verdict, event, t);
}

Check read_check(const YAML::Node& n, const std::string& path, models::DecodeContext& ctx,
                 std::initializer_list<std::string_view> extra_keys) {
  Check c;
  c.at = models::location_of(n);
  std::vector<std::string_view> known = {"name",    "object",   "count",    "namespace", "exists", "absent",
                                         "field",   "equals",   "phase",    "changed",   "selector", "where",
                                         "new",     "same",     "within",   "atLeast",   "deleted", "from"};
  known.insert(known.end(), extra_keys.begin(), extra_keys.end());
  if (!refuse_unknown_keys(n, path, known, ctx)) return c;
  if (n["name"]) models::decode_value(n["name"], path + ".name", ctx, c.name);
  if (n["namespace"]) models::decode_value(n["namespace"], path + ".namespace", ctx, c.ns);
  const bool by_object = static_cast<bool>(n["object"]), by_count = static_cast<bool>(n["count"]);
  if (by_object == by_count) {
    ctx.fail(c.at, path, "exactly one of object (KIND/NAME, e.g. vmi/vm1) or count (a kind, e.g. pods) is required");
    return c;
  }
  std::string kind_text;
  if (by_object) {
    std::string object;
    models::decode_value(n["object"], path + ".object", ctx, object);
    const auto slash = object.find('/');
    if (slash == std::string::npos || slash + 1 == object.size()) {
      ctx.fail(models::location_of(n["object"]), path + ".object",
               fmt::format("\"{}\" is not KIND/NAME (e.g. vmi/vm1, pod/web-0)", object));
      return c;
    }
    kind_text = object.substr(0, slash);
    c.object = object.substr(slash + 1);
  } else {
    c.counting = true;
    models::decode_value(n["count"], path + ".count", ctx, kind_text);
  }
  const auto* kind = models::find_kind(kind_text);
  if (!kind) {
    const auto& where = by_object ? n["object"] : n["count"];
    ctx.fail(models::location_of(where), path + (by_object ? ".object" : ".count"),
             fmt::format("unknown kind \"{}\" (kvsim api-resources lists the kinds)", kind_text));
    return c;
  }
  c.kind = std::string(kind->kind);
  if (n["exists"]) models::decode_value(n["exists"], path + ".exists", ctx, c.exists);
  if (n["absent"]) models::decode_value(n["absent"], path + ".absent", ctx, c.absent);
  if (n["field"]) models::decode_value(n["field"], path + ".field", ctx, c.field);
  if (n["phase"]) {
    if (n["field"]) ctx.fail(models::location_of(n["phase"]), path + ".phase", "phase is status.phase: give phase or field, not both");
    c.field = "status.phase";
    models::decode_value(n["phase"], path + ".phase", ctx, c.equals);
  }
  if (n["changed"]) models::decode_value(n["changed"], path + ".changed", ctx, c.changed);
  if (n["new"]) models::decode_value(n["new"], path + ".new", ctx, c.new_uid);
  if (n["same"]) models::decode_value(n["same"], path + ".same", ctx, c.same_uid);
  if (c.new_uid && c.same_uid) ctx.fail(models::location_of(n["same"]), path + ".same", "new and same exclude each other");
  if (n["deleted"]) models::decode_value(n["deleted"], path + ".deleted", ctx, c.deleted);
  if (n["within"]) c.within = read_duration(n["within"], path + ".within", ctx);
  if (n["from"]) {
    if (!n["from"].IsMap())
      ctx.fail(models::location_of(n["from"]), path + ".from",
               "expected a check naming the event that starts the clock, e.g. {name: your delete of VMI vm1, object: vmi/vm1, deleted: true}");
    else if (n["from"]["from"] || n["from"]["within"])
      ctx.fail(models::location_of(n["from"]), path + ".from", "the event that starts a clock has no clock of its own (no from or within)");
    else
      c.from = std::make_shared<const Check>(read_check(n["from"], path + ".from", ctx));
  }
  if (by_count) {
    if (n["selector"]) {
      models::decode_value(n["selector"], path + ".selector", ctx, c.selector);
      auto parsed = models::parse_selector(c.selector);
      if (!parsed.error.empty()) ctx.fail(models::location_of(n["selector"]), path + ".selector", parsed.error);
      c.parsed_selector = parsed.selector;
    }
    if (n["where"]) models::decode_value(n["where"], path + ".where", ctx, c.where);
    if (static_cast<bool>(n["equals"]) == static_cast<bool>(n["atLeast"]))
      ctx.fail(c.at, path + ".equals", "Required value: the number of objects expected (equals: N or atLeast: N)");
    else if (n["equals"]) models::decode_value(n["equals"], path + ".equals", ctx, c.count);
    else {
      c.at_least = true;
      models::decode_value(n["atLeast"], path + ".atLeast", ctx, c.count);
    }
    for (const char* k : {"exists", "absent", "field", "phase", "changed", "same"})
      if (n[k]) ctx.fail(models::location_of(n[k]), path + "." + k, "not valid with count (use where: {FIELD: VALUE})");
    if (c.deleted)
      for (const char* k : {"where", "new"})
        if (n[k]) ctx.fail(models::location_of(n[k]), path + "." + k, "not valid with deleted (it counts the objects there when the step began)");
  } else {
    if (n["equals"]) models::decode_value(n["equals"], path + ".equals", ctx, c.equals);
    for (const char* k : {"selector", "where", "atLeast"})
      if (n[k]) ctx.fail(models::location_of(n[k]), path + "." + k, "only valid with count");
    const int modes = (c.exists ? 1 : 0) + (c.absent ? 1 : 0) + (c.deleted ? 1 : 0) + (c.field.empty() ? 0 : 1);
    if (modes == 0 && !c.new_uid && !c.same_uid)
      ctx.fail(c.at, path,
               "Required value: one of exists: true, absent: true, deleted: true, field (with equals or changed), phase, new: true, same: true");
    else if (modes > 1 || ((c.absent || c.deleted) && (c.new_uid || c.same_uid)))
      ctx.fail(c.at, path, "exists, absent, deleted and field exclude each other (and absent and deleted exclude new and same)");
  }
  if (c.name.empty()) ctx.fail(c.at, path + ".name", "Required value: the sentence the trainee reads when grading");
  return c;
}

}  // namespace kvsim::sim::scenario
