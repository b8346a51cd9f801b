#include "sim/api/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "models/core.hpp"
#include "models/kubevirt.hpp"
#include "models/manifest.hpp"
#include "sim/engine/clock.hpp"

namespace kvsim::sim::api {

using models::Timestamp;

std::string describe_ref(const Object& o) {
  return o.metadata.namespace_.empty() ? fmt::format("{} {}", o.kind, o.metadata.name)
                                       : fmt::format("{} {}/{}", o.kind, o.metadata.namespace_, o.metadata.name);
}

namespace {

// `Deployment.apps "web" is invalid: spec.selector: Invalid value: ...`, as the API server words it,
// with the causes apart as in the Status details.
WriteResult invalid(const KindInfo& info, const std::string& name, const models::Problems& problems) {
  WriteResult r{nullptr, fmt::format("{}{}{} \"{}\" is invalid: ", info.kind, info.group().empty() ? "" : ".",
                                     info.group(), name),
                422, std::string(info.kind), name, {}};
  for (const auto& p : problems) r.causes.push_back((p.path.empty() ? "" : p.path + ": ") + p.message);
  for (std::size_t i = 0; i < r.causes.size(); ++i) r.error += (i ? ", " : "") + r.causes[i];
  return r;
}

// A webhook's denial as the API server returns it: "admission webhook "x" denied
// the request: " and the causes' messages (KubeVirt joins them with ", "); the
// details carry the causes, located, and no kind or name.
WriteResult denied(const Store::WebhookDenial& denial) {
  WriteResult r{nullptr, fmt::format("admission webhook \"{}\" denied the request: ", denial.webhook), 422, {}, {}, {}};
  if (denial.causes.empty()) {
    r.error += denial.message;
    r.code = 400;
    return r;
  }
  for (std::size_t i = 0; i < denial.causes.size(); ++i) {
    const auto& p = denial.causes[i];
    r.causes.push_back((p.path.empty() ? "" : p.path + ": ") + p.message);
    r.error += (i ? ", " : "") + p.message;
  }
  return r;
}

// A Namespace waits for its spec.finalizers (the namespace controller's
// "kubernetes") as other objects wait for metadata.finalizers.
bool namespace_finalizers_pending(const Object& o) {
  if (o.kind != "Namespace") return false;
  const auto& spec = static_cast<const models::Namespace&>(o).spec;
  if (!spec.is_object()) return false;
  auto it = spec.find("finalizers");
  return it != spec.end() && it->is_array() && !it->empty();
}

}  // namespace

Store::Store(engine::Rng& rng, engine::Trace& trace) : rng_(&rng), trace_(trace) {}

Store::Table& Store::table(const KindInfo& kind) {
  return tables_.try_emplace(kind.kind, slots_).first->second;
}

const Store::Table* Store::find_table(const KindInfo& kind) const {
  auto it = tables_.find(kind.kind);
  return it == tables_.end() ? nullptr : &it->second;
}

std::string Store::node_of(const Object& o) {
  if (o.kind == "Pod") return static_cast<const models::Pod&>(o).spec.nodeName;
  if (o.kind == "VirtualMachineInstance") return static_cast<const models::VirtualMachineInstance&>(o).status.nodeName;
  return {};
}

std::optional<Store::Slot> Store::slot_of(std::string_view uid) const {
  auto it = by_uid_.find(uid);
  if (it == by_uid_.end()) return std::nullopt;
  return *it;
}

void Store::index(Slot s) {
  const Object& o = *slots_[s];
  by_uid_.insert(s);
  for (const auto& ref : o.metadata.ownerReferences) owner_index_[ref.uid].insert(s);
  if (auto node = node_of(o); !node.empty()) node_index_[{o.info().kind, node}].insert(s);
  for (const auto& [k, v] : o.metadata.labels) label_index_[{o.info().kind, k + "=" + v}].insert(s);
}

// Leaves the slot's object in place (the uid index hashes it): the caller replaces or frees it.
void Store::unindex(Slot s) {
  const Object& o = *slots_[s];
  by_uid_.erase(s);
  auto drop = [s](auto& index, auto it) {
    if (it == index.end()) return;
    it->second.erase(s);
    if (it->second.empty()) index.erase(it);
  };
  for (const auto& ref : o.metadata.ownerReferences) drop(owner_index_, owner_index_.find(ref.uid));
  if (auto node = node_of(o); !node.empty()) drop(node_index_, node_index_.find({o.info().kind, node}));
  for (const auto& [k, v] : o.metadata.labels) drop(label_index_, label_index_.find({o.info().kind, k + "=" + v}));
}

// Whether two states of an object have the same entries in the owner, node and label indexes.
bool Store::same_index_entries(const Object& a, const Object& b) {
  if (a.metadata.uid != b.metadata.uid || a.metadata.labels != b.metadata.labels) return false;
  const auto& ra = a.metadata.ownerReferences;
  const auto& rb = b.metadata.ownerReferences;
  if (ra.size() != rb.size()) return false;
  for (std::size_t i = 0; i < ra.size(); ++i)
    if (ra[i].uid != rb[i].uid) return false;
  return node_of(a) == node_of(b);
}

void Store::put(const ObjectPtr& o) {
  if (event_ttl_ > 0 && &o->info() == &models::Event::kind_info()) {
    event_expiry_.push_back({engine::now() + event_ttl_, o});
    book_expiry_alarm();
  }
  auto& t = table(o->info());
  if (auto it = t.by_key.find(KeyOrder::view(*o)); it != t.by_key.end()) {
    const Slot s = *it;
    // Most updates are to status: the indexes keep their entries, only the slot's object changes
    // (the same namespace/name and uid, so the tables' orders hold).
    if (same_index_entries(*slots_[s], *o)) {
      slots_[s] = o;
      return;
    }
    unindex(s);
    slots_[s] = o;
    index(s);
    return;
  }
  Slot s;
  if (free_slots_.empty()) {
    s = static_cast<Slot>(slots_.size());
    slots_.push_back(o);
  } else {
    s = free_slots_.back();
    free_slots_.pop_back();
    slots_[s] = o;
  }
  t.objects.insert(s);
  t.by_key.insert(s);
  index(s);
}

void Store::trace(const Object& o, const Cause& cause, const std::string& default_change) {
  if (cause.quiet) return;
  trace_.record(engine::TraceRecord{engine::now(), cause.component, o.kind, o.metadata.namespace_, o.metadata.name,
                                    o.metadata.uid, cause.change.empty() ? default_change : cause.change,
                                    cause.reason});
}

std::optional<Store::WebhookDenial> Store::run_webhooks(const Object* old, Object& obj) const {
  for (const auto& webhook : webhooks_)
    if (auto denial = webhook(*this, old, obj)) return denial;
  return std::nullopt;
}

WriteResult Store::create(std::shared_ptr<Object> obj, const Cause& cause, bool dry_run) {
  const KindInfo& info = obj->info();
  auto& m = obj->metadata;
  if (info.namespaced && m.namespace_.empty()) m.namespace_ = "default";
  if (!info.namespaced) m.namespace_.clear();
  if (info.namespaced && info.kind != "Namespace" &&
      !get(models::Namespace::kind_info(), "", m.namespace_))
    return {nullptr, fmt::format("namespaces \"{}\" not found", m.namespace_), 404};
  models::DecodeContext ctx;
  ctx.file = cause.component;
  // Mutating admission runs before the name is generated: a refusal names the
  // object by its generateName (upstream's "pods \"virt-launcher-x-\" is forbidden").
  if (stateful_admission_)
    if (auto forbidden = stateful_admission_(*this, nullptr, *obj, ctx); !forbidden.empty())
      return {nullptr, forbidden, 403};
  if (auto denial = run_webhooks(nullptr, *obj)) return denied(*denial);
  if (m.name.empty() && !m.generateName.empty()) m.name = unused_name(info, m.namespace_, m.generateName);
  models::admit(*obj, ctx);
  if (!ctx.problems.empty()) return invalid(info, m.name, ctx.problems);
  if (get(info, m.namespace_, m.name))
    return {nullptr,
            fmt::format("{}{}{} \"{}\" already exists", info.plural, info.group().empty() ? "" : ".", info.group(), m.name),
            409};
  for (const auto& ref : m.ownerReferences)
    if (auto owner = by_uid(ref.uid); owner && owner->metadata.namespace_ != m.namespace_ && info.namespaced &&
                                      owner->info().namespaced)
      return {nullptr, "cross-namespace owner references are not allowed", 422};
  if (dry_run) {
    m.generation = 1;
    return {std::move(obj), {}, 201};
  }
  if (!cause.keep_uid || m.uid.empty()) m.uid = rng_->uuid();
  m.resourceVersion = next_version();
  m.creationTimestamp = Timestamp{engine::now() - creation_backdate_};
  m.deletionTimestamp.reset();
  m.generation = 1;
  ObjectPtr stored = std::move(obj);
  put(stored);
  trace(*stored, cause, "created");
  notify({EventType::Added, stored, nullptr});
  return {stored, {}, 201};
}

WriteResult Store::update(std::shared_ptr<Object> obj, const Cause& cause, bool spec_change, bool dry_run) {
  const KindInfo& info = obj->info();
  auto current = get(info, obj->metadata.namespace_, obj->metadata.name);
  if (!current) return {nullptr, fmt::format("{} \"{}\" not found", info.plural, obj->metadata.name), 404};
  auto& m = obj->metadata;
  if (!m.resourceVersion.empty() && m.resourceVersion != current->metadata.resourceVersion)
    return {nullptr,
            fmt::format("Operation cannot be fulfilled on {}{}{} \"{}\": the object has been modified; please apply "
                        "your changes to the latest version and try again",
                        info.plural, info.group().empty() ? "" : ".", info.group(), m.name),
            409};
  if (spec_change) {
    // A spec write goes through admission again: defaults, validation, immutable fields.
    models::DecodeContext ctx;
    ctx.file = cause.component;
    if (stateful_admission_)
      if (auto forbidden = stateful_admission_(*this, current.get(), *obj, ctx); !forbidden.empty())
        return {nullptr, forbidden, 403};
    if (auto denial = run_webhooks(current.get(), *obj)) return denied(*denial);
    models::admit_update(*current, *obj, ctx);
    if (!ctx.problems.empty()) return invalid(info, m.name, ctx.problems);
  }
  // Identity and server-set fields are not the writer's to change.
  m.uid = current->metadata.uid;
  m.creationTimestamp = current->metadata.creationTimestamp;
  if (current->metadata.deletionTimestamp) m.deletionTimestamp = current->metadata.deletionTimestamp;
  m.generation = current->metadata.generation + (spec_change ? 1 : 0);
  if (dry_run) {
    m.resourceVersion = current->metadata.resourceVersion;
    return {std::move(obj), {}, 200};
  }
  m.resourceVersion = next_version();
  ObjectPtr stored = std::move(obj);
  // The last finalizer gone from a terminating object: it goes. A pod in its
  // graceful termination (deletionGracePeriodSeconds > 0) stays until its
  // kubelet, or a force delete, removes it (upstream's ShouldDeleteDuringUpdate).
  if (stored->metadata.deletionTimestamp && stored->metadata.finalizers.empty() &&
      stored->metadata.deletionGracePeriodSeconds.value_or(0) == 0 && !namespace_finalizers_pending(*stored)) {
    put(stored);
    erase(stored, cause);
    return {nullptr, {}, 200};
  }
  put(stored);
  trace(*stored, cause, "updated");
  notify({EventType::Modified, stored, current});
  return {stored, {}, 200};
}

WriteResult Store::remove(const KindInfo& kind, const std::string& ns, const std::string& name, const Cause& cause,
                          const DeleteOptions& opts) {
  auto current = get(kind, kind.namespaced ? ns : std::string(), name);
  if (!current) {
    const auto group = kind.group();
    return {nullptr,
            fmt::format("{}{}{} \"{}\" not found", kind.plural, group.empty() ? "" : ".", group, name), 404};
  }
  const bool is_pod = kind.kind == "Pod";
  std::int64_t grace = 0;
  if (is_pod) {
    const auto& pod = static_cast<const models::Pod&>(*current);
    grace = opts.grace_seconds.value_or(pod.spec.terminationGracePeriodSeconds.value_or(30));
    // A pod no kubelet runs, or one already finished, needs no graceful stop.
    if (pod.spec.nodeName.empty() || pod.status.phase == "Succeeded" || pod.status.phase == "Failed") grace = 0;
  }
  auto next = current->clone();
  if (opts.dry_run) {
    // What the delete would answer: kept (finalizers, a pod's grace, dependents
    // deleted first) or gone.
    const bool foreground = opts.propagation == "Foreground" && !owned_by(current->metadata.uid).empty();
    if (next->metadata.finalizers.empty() && grace == 0 && !foreground && !namespace_finalizers_pending(*next))
      return {nullptr, {}, 200};
    if (foreground && !next->metadata.has_finalizer("foregroundDeletion"))
      next->metadata.finalizers.push_back("foregroundDeletion");
    if (!next->metadata.deletionTimestamp) {
      next->metadata.deletionTimestamp = models::Timestamp{engine::now()};
      next->metadata.deletionGracePeriodSeconds = grace;
    }
    return {std::move(next), {}, 202};
  }
  if (opts.propagation == "Orphan") {
    // Dependents lose their reference to this owner before it goes.
    for (const auto& dep : owned_by(current->metadata.uid)) {
      auto d = dep->clone();
      erase_if(d->metadata.ownerReferences, [&](const auto& r) { return r.uid == current->metadata.uid; });
      d->metadata.resourceVersion.clear();
      update(std::move(d), Cause{"garbage-collector", "ownerReference removed", "orphaned by " + describe_ref(*current)});
    }
  } else if (opts.propagation == "Foreground" && !owned_by(current->metadata.uid).empty() &&
             !next->metadata.has_finalizer("foregroundDeletion")) {
    next->metadata.finalizers.push_back("foregroundDeletion");
  }
  const bool must_wait = !next->metadata.finalizers.empty() || grace > 0 || namespace_finalizers_pending(*next);
  // The namespace registry marks a deleted namespace Terminating at once.
  if (must_wait && kind.kind == "Namespace") static_cast<models::Namespace&>(*next).status.phase = "Terminating";
  if (!must_wait) {
    erase(current, cause);
    return {nullptr, {}, 200};
  }
  if (current->metadata.deletionTimestamp) {
    // Already terminating: a shorter grace period (force) takes effect.
    if (is_pod && grace == 0 && next->metadata.finalizers.empty()) {
      erase(current, cause);
      return {nullptr, {}, 200};
    }
    if (next->metadata.finalizers == current->metadata.finalizers) return {current, {}, 202};
  }
  next->metadata.deletionTimestamp = models::Timestamp{engine::now()};
  next->metadata.deletionGracePeriodSeconds = grace;
  next->metadata.resourceVersion = next_version();
  ObjectPtr stored = std::move(next);
  put(stored);
  trace(*stored, cause, is_pod && grace > 0 ? fmt::format("terminating (grace {}s)", grace) : "marked for deletion");
  notify({EventType::Modified, stored, current});
  return {stored, {}, 202};
}

void Store::erase(const ObjectPtr& o, const Cause& cause) {
  auto& t = table(o->info());
  if (auto it = t.by_key.find(KeyOrder::view(*o)); it != t.by_key.end()) {
    const Slot s = *it;
    t.by_key.erase(it);
    t.objects.erase(s);
    unindex(s);
    slots_[s] = nullptr;
    free_slots_.push_back(s);
  }
  // A removal is a change of its own, as in etcd: watchers resuming from a
  // resourceVersion must be able to tell whether they saw it.
  next_version();
  Cause c = cause;
  if (c.change.empty() || c.change == "updated") c.change = "deleted";
  trace(*o, c, "deleted");
  notify({EventType::Deleted, o, nullptr});
}

ObjectPtr Store::get(const KindInfo& kind, const std::string& ns, const std::string& name) const {
  const Table* t = find_table(kind);
  if (!t) return nullptr;
  auto it = t->by_key.find(KeyOrder::View{kind.namespaced ? std::string_view(ns) : std::string_view(), name});
  return it == t->by_key.end() ? nullptr : slots_[*it];
}

std::string Store::unused_name(const KindInfo& kind, const std::string& ns, const std::string& prefix) {
  // The API server retries generated names that collide.
  std::string name;
  do name = prefix + rng_->name_suffix();
  while (get(kind, ns, name));
  return name;
}

ObjectPtr Store::by_uid(const std::string& uid) const {
  auto s = slot_of(uid);
  return s ? slots_[*s] : nullptr;
}

std::vector<ObjectPtr> Store::objects_in(const SlotSet& slots) const {
  std::vector<ObjectPtr> out;
  out.reserve(slots.size());
  for (Slot s : slots) out.push_back(slots_[s]);
  return out;
}

std::vector<ObjectPtr> Store::list(const KindInfo& kind, const std::string& ns,
                                   const models::LabelSelector* selector) const {
  std::vector<ObjectPtr> out;
  const Table* t = find_table(kind);
  if (!t) return out;
  auto keep = [&](const ObjectPtr& o) {
    return (ns.empty() || o->metadata.namespace_ == ns) && (!selector || selector->matches(o->metadata.labels));
  };
  // With matchLabels, start from the smallest label posting list.
  const SlotSet* narrowest = nullptr;
  if (selector) {
    for (const auto& [k, v] : selector->matchLabels) {
      auto it = label_index_.find({kind.kind, k + "=" + v});
      if (it == label_index_.end()) return out;
      if (!narrowest || it->second.size() < narrowest->size()) narrowest = &it->second;
    }
  }
  if (narrowest) {
    for (Slot s : *narrowest)
      if (keep(slots_[s])) out.push_back(slots_[s]);
    std::sort(out.begin(), out.end(), KeyOrder{});
    return out;
  }
  if (!ns.empty()) {
    for (auto it = t->objects.lower_bound(Key{ns, ""});
         it != t->objects.end() && slots_[*it]->metadata.namespace_ == ns; ++it)
      if (keep(slots_[*it])) out.push_back(slots_[*it]);
    return out;
  }
  for (Slot s : t->objects)
    if (keep(slots_[s])) out.push_back(slots_[s]);
  return out;
}

Store::Page Store::list_page(const KindInfo& kind, const std::string& ns, const models::LabelSelector* selector,
                             const std::optional<Key>& after, std::size_t limit,
                             const std::function<bool(const Object&)>& keep) const {
  Page page;
  auto take = [&](const ObjectPtr& o) {
    if (!keep(*o)) return;
    if (limit == 0 || page.items.size() < limit) page.items.push_back(o);
    else ++page.remaining;
  };
  const Table* t = find_table(kind);
  if (!t) return page;
  if (selector && !selector->matchLabels.empty()) {
    // The label index already narrows the list; page what it returns.
    for (auto& o : list(kind, ns, selector))
      if (!after || Key{o->metadata.namespace_, o->metadata.name} > *after) take(o);
    return page;
  }
  auto it = after ? t->objects.upper_bound(*after) : t->objects.lower_bound(Key{ns, ""});
  auto ns_of = [&](auto i) -> const std::string& { return slots_[*i]->metadata.namespace_; };
  if (!ns.empty() && it != t->objects.end() && ns_of(it) < ns) it = t->objects.lower_bound(Key{ns, ""});
  for (; it != t->objects.end() && (ns.empty() || ns_of(it) == ns); ++it)
    if (!selector || selector->matches(slots_[*it]->metadata.labels)) take(slots_[*it]);
  return page;
}

std::vector<ObjectPtr> Store::owned_by(const std::string& owner_uid) const {
  auto it = owner_index_.find(owner_uid);
  if (it == owner_index_.end()) return {};
  auto out = objects_in(it->second);
  std::sort(out.begin(), out.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
    return std::tie(a->kind, a->metadata.namespace_, a->metadata.name) <
           std::tie(b->kind, b->metadata.namespace_, b->metadata.name);
  });
  return out;
}

std::vector<ObjectPtr> Store::on_node(const KindInfo& kind, const std::string& node) const {
  auto it = node_index_.find({kind.kind, node});
  if (it == node_index_.end()) return {};
  auto out = objects_in(it->second);
  std::sort(out.begin(), out.end(), KeyOrder{});
  return out;
}

std::size_t Store::count(const KindInfo& kind) const {
  const Table* t = find_table(kind);
  return t ? t->objects.size() : 0;
}

namespace {
// The label a watcher without a node is indexed by: the first of its selector's matchLabels
// (an object without it cannot match). Empty: the watcher hears every object of its kind.
std::string indexed_label(const WatchFilter& f) {
  if (!f.node.empty() || !f.labels || f.labels->matchLabels.empty()) return {};
  const auto& [k, v] = *f.labels->matchLabels.begin();
  return k + "=" + v;
}
}  // namespace

std::vector<int>& Store::watcher_list(const WatchFilter& f) {
  if (!f.node.empty()) return node_watchers_[{f.kind->kind, f.node}];
  if (auto label = indexed_label(f); !label.empty()) {
    label_watched_kinds_.insert(f.kind->kind);
    return label_watchers_[{f.kind->kind, label}];
  }
  return kind_watchers_[f.kind->kind];
}

int Store::watch(WatchFilter filter, WatchFn fn) {
  const int id = next_watch_++;
  watcher_list(filter).push_back(id);
  watchers_.emplace(id, Watcher{std::move(filter), std::move(fn)});
  return id;
}

void Store::unwatch(int id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  std::erase(watcher_list(it->second.filter), id);
  watchers_.erase(it);
}

bool Store::wants(const Watcher& w, const Object& o) const {
  if (!w.filter.ns.empty() && w.filter.ns != o.metadata.namespace_) return false;
  if (w.filter.labels && !w.filter.labels->matches(o.metadata.labels)) return false;
  return true;
}

void Store::notify(const WatchEvent& e) {
  const auto kind = e.object->info().kind;
  // Copy the id lists: a watcher may add or remove watches while handling.
  std::vector<int> ids;
  if (auto it = kind_watchers_.find(kind); it != kind_watchers_.end()) ids = it->second;
  // Watchers indexed by a label hear only objects that carry it, now or before (one per node,
  // e.g. virt-handler's migration targets, must not each look at every change). They join the
  // kind's watchers in the order they were registered, as when both were one list.
  if (label_watched_kinds_.contains(kind)) {
    const std::size_t unindexed = ids.size();
    auto add_labelled = [&](const Object& o) {
      for (const auto& [k, v] : o.metadata.labels)
        if (auto it = label_watchers_.find({kind, k + "=" + v}); it != label_watchers_.end())
          ids.insert(ids.end(), it->second.begin(), it->second.end());
    };
    add_labelled(*e.object);
    if (e.old) add_labelled(*e.old);
    if (ids.size() > unindexed) {
      std::sort(ids.begin() + static_cast<std::ptrdiff_t>(unindexed), ids.end());
      ids.erase(std::unique(ids.begin() + static_cast<std::ptrdiff_t>(unindexed), ids.end()), ids.end());
      std::inplace_merge(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(unindexed), ids.end());
    }
  }
  std::set<std::string> nodes;
  if (auto n = node_of(*e.object); !n.empty()) nodes.insert(n);
  if (e.old)
    if (auto n = node_of(*e.old); !n.empty()) nodes.insert(n);
  for (const auto& n : nodes)
    if (auto it = node_watchers_.find({kind, n}); it != node_watchers_.end())
      ids.insert(ids.end(), it->second.begin(), it->second.end());
  for (int id : ids) {
    auto it = watchers_.find(id);
    if (it == watchers_.end()) continue;
    const bool now_matches = wants(it->second, *e.object);
    const bool was_matching = e.old && wants(it->second, *e.old);
    if (!now_matches && !was_matching) continue;
    it->second.fn(e);
  }
  for (const auto& [id, l] : listeners_) l(e);
}

namespace {

std::uint64_t event_key(std::string_view uid, std::string_view reason, std::string_view message) {
  std::string key;
  key.reserve(uid.size() + reason.size() + message.size() + 2);
  key.append(uid).append(1, '\x1f').append(reason).append(1, '\x1f').append(message);
  return std::hash<std::string>{}(key);
}

}  // namespace

void Store::record_event(const Object& involved, const std::string& type, const std::string& reason,
                         const std::string& message, const std::string& component) {
  const auto key = event_key(involved.metadata.uid, reason, message);
  const std::string ns = involved.metadata.namespace_.empty() ? "default" : involved.metadata.namespace_;
  const auto& info = models::Event::kind_info();
  if (auto it = event_by_key_.find(key); it != event_by_key_.end() && slots_[it->second] &&
                                         &slots_[it->second]->info() == &info) {
    auto existing = std::static_pointer_cast<const models::Event>(slots_[it->second]);
    if (existing->involvedObject->uid == involved.metadata.uid && existing->reason == reason &&
        existing->message == message) {
      auto e = std::static_pointer_cast<models::Event>(existing->clone());
      e->count += 1;
      e->lastTimestamp = Timestamp{engine::now()};
      e->metadata.resourceVersion.clear();
      const auto count = e->count;
      update(std::move(e), Cause{component, fmt::format("event {} (x{})", reason, count), message});
      return;
    }
  }
  auto e = std::make_shared<models::Event>();
  e->apiVersion = "v1";
  e->kind = "Event";
  e->metadata.namespace_ = ns;
  // Named by the recorder, as client-go's names it (an Event has no generateName); kvsim's
  // suffix is random where client-go's is the time in hex.
  e->metadata.name = unused_name(info, ns, involved.metadata.name + ".");
  e->involvedObject = involved_reference(involved);
  e->type = shared_text(type);
  e->reason = shared_text(reason);
  e->message = shared_text(message);
  e->count = 1;
  e->firstTimestamp = e->lastTimestamp = Timestamp{engine::now()};
  e->source = event_source(component);
  auto r = create(std::move(e), Cause{component, "event " + reason, message});
  if (r.ok()) event_by_key_[key] = *slot_of(r.object->metadata.uid);
}

models::Shared<models::ObjectReference> Store::involved_reference(const Object& involved) {
  const auto& m = involved.metadata;
  auto& recent = recent_involved_[std::hash<std::string_view>{}(m.uid) % recent_involved_.size()];
  const auto& r = *recent;
  if (r.uid != m.uid || r.name != m.name || r.namespace_ != m.namespace_ || r.kind != involved.kind ||
      r.apiVersion != involved.apiVersion)
    recent = models::ObjectReference{involved.apiVersion, involved.kind, m.namespace_, m.name, m.uid, {}, {}};
  return recent;
}

models::Shared<std::string> Store::shared_text(const std::string& text) {
  auto& recent = recent_texts_[std::hash<std::string_view>{}(text) % recent_texts_.size()];
  if (*recent != text) recent = text;
  return recent;
}

const models::Shared<models::EventSource>& Store::event_source(const std::string& component) {
  auto [it, added] = event_sources_.try_emplace(component);
  if (added) it->second = models::EventSource{component, {}};
  return it->second;
}

void Store::expire_events() {
  // Due within the engine's timing precision counts as due: the alarm may ring that early, and
  // booking it again for the same instant would never end.
  const double now = engine::now() + engine::kTimingPrecision;
  const Cause expired{"kube-apiserver", "expired", "--event-ttl", true};
  const auto& info = models::Event::kind_info();
  while (!event_expiry_.empty() && event_expiry_.front().due <= now) {
    auto written = event_expiry_.front().written.lock();
    event_expiry_.pop_front();
    if (!written) continue;
    const auto& e = static_cast<const models::Event&>(*written);
    if (get(info, e.metadata.namespace_, e.metadata.name) != written) continue;  // written again since
    const auto key = event_key(e.involvedObject->uid, *e.reason, *e.message);
    if (auto it = event_by_key_.find(key); it != event_by_key_.end() && it->second == slot_of(e.metadata.uid))
      event_by_key_.erase(it);
    remove(info, e.metadata.namespace_, e.metadata.name, expired);
  }
  alarm_at_ = -1;
  book_expiry_alarm();
}

void Store::book_expiry_alarm() {
  if (!expiry_alarm_ || event_expiry_.empty()) return;
  // Dues only grow (writes come in time order), so a booked alarm that has not rung yet is
  // for the front already; one in the past was lost with its reactor (a host down).
  const double now = engine::now();
  if (alarm_at_ >= now) return;
  alarm_at_ = event_expiry_.front().due;
  expiry_alarm_(std::max(0.0, alarm_at_ - now));
}

std::vector<std::shared_ptr<const models::Event>> Store::events_for(const std::string& uid) const {
  std::vector<std::shared_ptr<const models::Event>> out;
  const Table* t = find_table(models::Event::kind_info());
  if (!t) return out;
  // Events are few per object; a scan is fine for describe (never in a reconcile).
  for (Slot s : t->objects) {
    auto e = std::static_pointer_cast<const models::Event>(slots_[s]);
    if (e->involvedObject->uid == uid) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a->firstTimestamp < b->firstTimestamp ||
           (a->firstTimestamp == b->firstTimestamp && a->metadata.resourceVersion < b->metadata.resourceVersion);
  });
  return out;
}

}  // namespace kvsim::sim::api
