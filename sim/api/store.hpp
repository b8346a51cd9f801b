#pragma once
// The API server's state: every object, indexed by kind + namespace/name, UID,
// owner UID, node and label; writes go through admission, bump
// resourceVersion/generation, honour finalizers and deletionTimestamp, tell
// interested watchers, and leave a trace record.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "models/core.hpp"
#include "sim/engine/rng.hpp"
#include "sim/engine/trace.hpp"

namespace kvsim::sim::api {

using models::KindInfo;
using models::Object;
using models::ObjectPtr;

struct Key {
  std::string ns, name;
  friend auto operator<=>(const Key&, const Key&) = default;
};

// The same order over keys and views of them, so that a lookup or a sort by namespace/name
// copies no string (get() runs on every reconcile; two copies per call were measurable).
struct KeyOrder {
  using is_transparent = void;
  using View = std::pair<std::string_view, std::string_view>;
  static View view(const Key& k) { return {k.ns, k.name}; }
  static View view(const View& v) { return v; }
  static View view(const Object& o) { return {o.metadata.namespace_, o.metadata.name}; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return view(a) < view(b);
  }
  bool operator()(const ObjectPtr& a, const ObjectPtr& b) const { return view(*a) < view(*b); }
};

enum class EventType { Added, Modified, Deleted };

struct WatchEvent {
  EventType type;
  ObjectPtr object;  // the new state; for Deleted, the last state
  ObjectPtr old;     // Modified only
};

// What a watcher wants: a kind, optionally one namespace, a label selector,
// and a node (pods by spec.nodeName, VMIs by status.nodeName).
struct WatchFilter {
  const KindInfo* kind = nullptr;
  std::string ns;
  std::optional<models::LabelSelector> labels;
  std::string node;
};

// Who writes, and why: becomes the trace record.
struct Cause {
  std::string component;
  std::string change;  // empty: the store describes it
  std::string reason;
  bool quiet = false;  // routine (heartbeats): no trace record
  // Create keeps a uid the object already has (a catalog installed at bootstrap
  // draws its uids from its own generator, so it does not shift the cluster's).
  bool keep_uid = false;
};

struct WriteResult {
  ObjectPtr object;          // the stored state (null when removed or refused)
  std::string error;         // non-empty when refused
  int code = 200;            // HTTP-like: 403, 404, 409, 422
  // For 422 Invalid, what the Status details carry: kind, name and one cause
  // per field, which kubectl lists itself.
  std::string invalid_kind = {};
  std::string invalid_name = {};
  std::vector<std::string> causes = {};
  bool ok() const { return error.empty(); }
};

struct DeleteOptions {
  std::optional<std::int64_t> grace_seconds;  // pods: defaults to the pod's own
  std::string propagation = "Background";     // Background, Foreground, Orphan
  bool dry_run = false;                       // answer as the delete would, change nothing
};

class Store {
 public:
  Store(engine::Rng& rng, engine::Trace& trace);
  // The tables' orderings point at the store's own slots: a store stays where it was made.
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Create: admission (defaulting + validation), name generation, uid,
  // resourceVersion, creationTimestamp. Problems refuse the write.
  // A dry run (the API's dryRun=All) admits the object and returns it as it
  // would be stored (no uid or resourceVersion), storing nothing.
  WriteResult create(std::shared_ptr<Object> obj, const Cause& cause, bool dry_run = false);
  // Replace an object (optimistic concurrency on resourceVersion when set).
  // `spec_change` bumps metadata.generation.
  WriteResult update(std::shared_ptr<Object> obj, const Cause& cause, bool spec_change = false, bool dry_run = false);
  // Delete: with finalizers (or a pod a kubelet must stop) the object gets a
  // deletionTimestamp; otherwise it is removed. A second delete of an object
  // already terminating with grace 0 removes a pod at once (force).
  WriteResult remove(const KindInfo& kind, const std::string& ns, const std::string& name, const Cause& cause,
                     const DeleteOptions& opts = {});

  ObjectPtr get(const KindInfo& kind, const std::string& ns, const std::string& name) const;
  template <class T>
  std::shared_ptr<const T> get(const std::string& ns, const std::string& name) const {
    return std::static_pointer_cast<const T>(get(T::kind_info(), ns, name));
  }
  ObjectPtr by_uid(const std::string& uid) const;
  // Sorted by namespace/name. `ns` empty means all namespaces.
  std::vector<ObjectPtr> list(const KindInfo& kind, const std::string& ns = {},
                              const models::LabelSelector* selector = nullptr) const;
  // One page of list(): the objects after `after` (exclusive; none: from the
  // start) that `keep` accepts, at most `limit` of them (0: no limit), and how
  // many more match. Walks from `after`, so reading a long list page by page
  // (kubectl asks 500 at a time) costs O(list), not O(list x pages).
  struct Page {
    std::vector<ObjectPtr> items;
    std::size_t remaining = 0;
  };
  Page list_page(const KindInfo& kind, const std::string& ns, const models::LabelSelector* selector,
                 const std::optional<Key>& after, std::size_t limit,
                 const std::function<bool(const Object&)>& keep) const;
  std::vector<ObjectPtr> owned_by(const std::string& owner_uid) const;
  std::vector<ObjectPtr> on_node(const KindInfo& kind, const std::string& node) const;
  std::size_t count(const KindInfo& kind) const;

  using WatchFn = std::function<void(const WatchEvent&)>;
  int watch(WatchFilter filter, WatchFn fn);
  void unwatch(int id);

  // Events (core/v1 Event), aggregated by involved object + reason + message.
  // With an event TTL (kube-apiserver's --event-ttl), an Event goes that long after its last write.
  void record_event(const Object& involved, const std::string& type, const std::string& reason,
                    const std::string& message, const std::string& component);
  std::vector<std::shared_ptr<const models::Event>> events_for(const std::string& uid) const;

  // Observes every change, after watchers (scenario expectations, the TUI).
  // Returns an id for remove_change_listener (a listener must not outlive what it captures).
  int add_change_listener(std::function<void(const WatchEvent&)> fn) {
    listeners_.emplace(next_listener_, std::move(fn));
    return next_listener_++;
  }
  void remove_change_listener(int id) { listeners_.erase(id); }

  engine::Rng& rng() { return *rng_; }
  // While the returned guard lives, new UIDs and generated names are drawn from `other`: what
  // the platform adds at bootstrap (golden images, templates) then leaves the simulation's own
  // stream, and so every later name, tie-break and jitter, as it was without it.
  class RngOverride {
   public:
    RngOverride(Store& store, engine::Rng& other) : store_(store), saved_(store.rng_) { store.rng_ = &other; }
    ~RngOverride() { store_.rng_ = saved_; }
    RngOverride(const RngOverride&) = delete;
    RngOverride& operator=(const RngOverride&) = delete;

   private:
    Store& store_;
    engine::Rng* saved_;
  };
  // The newest resourceVersion handed out (creates, updates and removals each take one).
  std::uint64_t resource_version() const { return version_; }

  // Admission plugins that read the cluster's state (NamespaceLifecycle,
  // DefaultStorageClass, ClusterIP allocation, StorageObjectInUseProtection),
  // installed by the cluster: they run on create and on spec updates (`old`
  // set), before the kind's own defaulting and validation. Problems in ctx
  // refuse the write as Invalid (422); a returned message refuses it as Forbidden (403).
  using StatefulAdmission =
      std::function<std::string(const Store&, const Object* old, Object& obj, models::DecodeContext& ctx)>;
  void set_stateful_admission(StatefulAdmission fn) { stateful_admission_ = std::move(fn); }
  // Admission webhooks (KubeVirt's virt-api), called after those plugins: they
  // may mutate the object, and a validating one that denies it names itself and
  // gives its causes. The write is then refused as Invalid (422) with the causes
  // but no kind or name in the details, so kubectl shows "The request is
  // invalid: field: message".
  // A denial with causes is Invalid (422), as KubeVirt's admitters answer with
  // StatusCauses; one with only a message is BadRequest (400), as an admitter's
  // plain error is ("admission webhook \"X\" denied the request: message").
  struct WebhookDenial {
    std::string webhook;      // e.g. virtualmachineinstances-create-validator.kubevirt.io
    models::Problems causes;  // path and message each
    std::string message;      // when there are no causes
  };
  using WebhookAdmission = std::function<std::optional<WebhookDenial>(const Store&, const Object* old, Object& obj)>;
  // Webhooks run in the order added; the first denial refuses the write.
  void add_webhook_admission(WebhookAdmission fn) { webhooks_.push_back(std::move(fn)); }

  // While a cluster that starts installed runs its install, objects created are dated
  // `seconds` before the clock (their creationTimestamp, hence AGE): the quiet days
  // between the install and the scenario are not simulated. 0 (the default) otherwise.
  void set_creation_backdate(double seconds) { creation_backdate_ = seconds; }

  // kube-apiserver's --event-ttl: an Event is removed `seconds` after its last write, as etcd
  // drops a key whose lease ran out (a watcher sees it deleted). 0, the default, keeps them.
  // The store has no clock of its own: it asks `alarm` to call expire_events() `delay` seconds
  // from now, once for the next Event due (sim/cluster/event_expiry.hpp books it on a reactor).
  using ExpiryAlarm = std::function<void(double delay)>;
  void set_event_ttl(double seconds, ExpiryAlarm alarm) {
    event_ttl_ = seconds;
    expiry_alarm_ = std::move(alarm);
  }
  // Removes the Events whose time has come, and books the alarm for the next one.
  void expire_events();

 private:
  // Every stored object has a slot, a small number it keeps while it exists; the tables and
  // indexes hold slots, not copies of its namespace, name and uid. At 100,000 VMs (2.5 million
  // objects with their Events) those copies were 511 MiB of the 7380 MiB peak, and `on_node`
  // spent most of its time hashing uids.
  using Slot = std::uint32_t;
  static std::size_t hash_two(std::string_view a, std::string_view b) {
    return std::hash<std::string_view>{}(a) * 31 + std::hash<std::string_view>{}(b);
  }
  // A slot's object's namespace/name, beside the views and keys looked up by.
  struct SlotView {
    using is_transparent = void;
    const std::vector<ObjectPtr>* slots;
    KeyOrder::View view(Slot s) const { return KeyOrder::view(*(*slots)[s]); }
    static KeyOrder::View view(const KeyOrder::View& v) { return v; }
    static KeyOrder::View view(const Key& k) { return KeyOrder::view(k); }
  };
  // Orders slots by their object's namespace/name.
  struct SlotOrder : SlotView {
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  // Hashes and compares slots by their object's namespace/name.
  struct SlotKey : SlotView {
    template <class A>
    std::size_t operator()(const A& a) const {
      const auto [ns, name] = view(a);
      return hash_two(name, ns);
    }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) == view(b);
    }
  };
  // Hashes and compares slots by their object's uid, and looks up by uid.
  struct SlotUid {
    using is_transparent = void;
    const std::vector<ObjectPtr>* slots;
    std::string_view uid(Slot s) const { return (*slots)[s]->metadata.uid; }
    static std::string_view uid(std::string_view u) { return u; }
    template <class A>
    std::size_t operator()(const A& a) const {
      return std::hash<std::string_view>{}(uid(a));
    }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return uid(a) == uid(b);
    }
  };
  using SlotSet = std::set<Slot>;  // an index entry's objects; callers sort what they return
  // A kind's objects, in namespace/name order for lists, and hashed for get(), which every
  // reconcile calls: the ordered set's own walk was 5.8% of a 10k-VM run's samples.
  struct Table {
    explicit Table(const std::vector<ObjectPtr>& slots)
        : objects(SlotOrder{{&slots}}), by_key(0, SlotKey{{&slots}}, SlotKey{{&slots}}) {}
    std::set<Slot, SlotOrder> objects;
    std::unordered_set<Slot, SlotKey, SlotKey> by_key;
  };
  struct Watcher {
    WatchFilter filter;
    WatchFn fn;
  };

  Table& table(const KindInfo& kind);
  const Table* find_table(const KindInfo& kind) const;
  static std::string node_of(const Object& o);
  static bool same_index_entries(const Object& a, const Object& b);
  std::optional<Slot> slot_of(std::string_view uid) const;
  void index(Slot s);
  void unindex(Slot s);
  void put(const ObjectPtr& o);
  void erase(const ObjectPtr& o, const Cause& cause);
  void notify(const WatchEvent& e);
  bool wants(const Watcher& w, const Object& o) const;
  void trace(const Object& o, const Cause& cause, const std::string& default_change);
  std::string next_version() { return std::to_string(++version_); }
  // `prefix` and a random suffix, not yet taken in `ns`: generateName's name.
  std::string unused_name(const KindInfo& kind, const std::string& ns, const std::string& prefix);
  std::vector<ObjectPtr> objects_in(const SlotSet& slots) const;

  engine::Rng* rng_;
  engine::Trace& trace_;
  std::vector<ObjectPtr> slots_;  // slot -> the object's current state; null: free
  std::vector<Slot> free_slots_;
  // By kind; looked up on every read and write, never walked. Three kinds share the prefix
  // "VirtualMachine", so an ordered map compared it on most lookups.
  std::unordered_map<std::string_view, Table> tables_;
  std::unordered_set<Slot, SlotUid, SlotUid> by_uid_{0, SlotUid{&slots_}, SlotUid{&slots_}};
  std::unordered_map<std::string, SlotSet> owner_index_;                         // owner uid -> dependents
  // (kind, node) and (kind, "k=v") keys, looked up and never walked: hashed. Each VM's labels
  // make keys of their own (kubevirt.io/vm=vm-N), and an ordered map of hundreds of thousands
  // of them spent its time comparing their shared prefixes.
  using KindKey = std::pair<std::string_view, std::string>;
  struct KindKeyHash {
    std::size_t operator()(const KindKey& k) const { return hash_two(k.first, k.second); }
  };
  std::unordered_map<KindKey, SlotSet, KindKeyHash> node_index_;   // (kind,node)
  std::unordered_map<KindKey, SlotSet, KindKeyHash> label_index_;  // (kind,"k=v")
  std::map<int, Watcher> watchers_;
  std::unordered_map<KindKey, std::vector<int>, KindKeyHash> node_watchers_;  // (kind,node) -> ids
  std::unordered_map<std::string_view, std::vector<int>> kind_watchers_;
  std::unordered_map<KindKey, std::vector<int>, KindKeyHash> label_watchers_;  // (kind,"k=v") -> ids
  std::unordered_set<std::string_view> label_watched_kinds_;  // kinds with a label-indexed watcher, ever
  std::vector<int>& watcher_list(const WatchFilter& f);  // where a watcher is indexed
  // Aggregation: a hash of (involved uid, reason, message) -> the Event's slot. A hash, not the
  // key's text, because there are tens of Events per VM; a hit is checked against the Event
  // (a slot is reused once its object is gone).
  std::unordered_map<std::uint64_t, Slot> event_by_key_;
  // What new Events name their involved object and source with, shared (models::Shared) with
  // the Events written before them: an object's Events come in bursts (the scheduler's, then a
  // kubelet's Pulling, Pulled, Created, Started), so the last one written for each of a
  // thousand uid hashes catches most; sources are a handful of components.
  std::array<models::Shared<models::ObjectReference>, 1024> recent_involved_;
  std::unordered_map<std::string, models::Shared<models::EventSource>> event_sources_;
  models::Shared<models::ObjectReference> involved_reference(const Object& involved);
  // An Event's reason, message or type, shared with the last Event that said the same.
  std::array<models::Shared<std::string>, 4096> recent_texts_;
  models::Shared<std::string> shared_text(const std::string& text);
  const models::Shared<models::EventSource>& event_source(const std::string& component);
  // Each Event write, with when it expires: in write order, hence in expiry order. An entry
  // whose Event was written again since (or removed) is skipped when its time comes.
  struct EventExpiry {
    double due;
    // Weak, so a removed Event is not kept; but an Event rewritten since (a raised count) keeps
    // its old version's allocation (make_shared) until this entry is due: rewrites are rare.
    std::weak_ptr<const Object> written;
  };
  std::deque<EventExpiry> event_expiry_;
  double event_ttl_ = 0;
  ExpiryAlarm expiry_alarm_;
  double alarm_at_ = -1;  // when the booked alarm rings; in the past: none booked (or it was lost)
  void book_expiry_alarm();
  std::map<int, std::function<void(const WatchEvent&)>> listeners_;
  StatefulAdmission stateful_admission_;
  std::vector<WebhookAdmission> webhooks_;
  std::optional<WebhookDenial> run_webhooks(const Object* old, Object& obj) const;
  int next_listener_ = 1;
  double creation_backdate_ = 0;
  std::uint64_t version_ = 0;
  int next_watch_ = 1;
};

// "VirtualMachineInstance default/vm1" style reference used in messages.
std::string describe_ref(const Object& o);

}  // namespace kvsim::sim::api
