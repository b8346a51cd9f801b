#include "sim/apiserver/watch_stream.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <set>

#include "sim/apiserver/status.hpp"
#include "sim/apiserver/table.hpp"

namespace kvsim::sim::apiserver {

namespace {

using models::Json;
using Clock = std::chrono::steady_clock;

// Upstream closes a watch after minRequestTimeout × (1 + rand) (30–60 min); kvsim after an hour.
constexpr int kDefaultTimeoutSeconds = 3600;

struct WatchSpec {
  const models::KindInfo* kind;
  std::string ns;
  Selectors selectors;
  bool as_table;
  IncludeObject include;
  std::uint64_t from;  // deliver changes after this resourceVersion
  bool initial;        // first the current objects, as ADDED
  Clock::time_point deadline;
  bool bookmarks;  // allowWatchBookmarks: a BOOKMARK now and then carries the newest resourceVersion
};

// How often a watch that allows bookmarks gets one (upstream: about once a minute).
constexpr auto kBookmarkEvery = std::chrono::seconds(60);

class WatchStream : public Stream {
 public:
  WatchStream(cluster::Cluster& cluster, WatchHub& hub, WatchSpec spec, std::shared_ptr<Outbox> out)
      : cluster_(cluster), hub_(hub), spec_(std::move(spec)), out_(std::move(out)), position_(spec_.from) {}

  bool poll() override {
    if (!started_) start();
    if (!hub_.covers(position_)) {
      expired();
      return false;
    }
    for (auto it = hub_.after(position_); it != hub_.end(); ++it) {
      position_ = it->rv;
      deliver(*it);
    }
    const auto now = Clock::now();
    if (spec_.bookmarks && now - last_bookmark_ >= kBookmarkEvery) bookmark(now);
    return now < spec_.deadline;
  }

 private:
  bool in_scope(const models::Object& o) const {
    return &o.info() == spec_.kind && (spec_.ns.empty() || o.metadata.namespace_ == spec_.ns);
  }

  void start() {
    started_ = true;
    for (const auto& o : hub_.store().list(*spec_.kind, spec_.ns)) {
      if (!spec_.selectors.matches(*o)) continue;
      visible_.insert(o->metadata.uid);
      if (spec_.initial) send("ADDED", o, o->metadata.resourceVersion);
    }
  }

  void deliver(const WatchHub::Entry& e) {
    const auto& o = *e.object;
    if (!in_scope(o)) return;
    const bool was = visible_.count(o.metadata.uid) > 0;
    const bool is = e.type != api::EventType::Deleted && spec_.selectors.matches(o);
    const std::string rv = std::to_string(e.rv);
    if (is) {
      visible_.insert(o.metadata.uid);
      send(was ? "MODIFIED" : "ADDED", e.object, rv);
    } else if (was) {
      visible_.erase(o.metadata.uid);
      send("DELETED", e.object, rv);
    }
  }

  void send(const char* type, const models::ObjectPtr& o, const std::string& rv) {
    Json object;
    if (spec_.as_table) {
      // Column definitions once, on the first event, as upstream sends them.
      object = table(*spec_.kind, {o}, cluster_.now(), spec_.include, rv, first_);
      first_ = false;
    } else {
      object = object_json(*o);
      object["metadata"]["resourceVersion"] = rv;
    }
    out_->send(wire_json(Json{{"type", type}, {"object", object}}) + "\n");
  }

  void bookmark(Clock::time_point now) {
    last_bookmark_ = now;
    position_ = std::max(position_, hub_.newest());
    const Json object = {{"kind", std::string(spec_.kind->kind)},
                         {"apiVersion", std::string(spec_.kind->api_version)},
                         {"metadata", {{"resourceVersion", std::to_string(position_)}}}};
    out_->send(wire_json(Json{{"type", "BOOKMARK"}, {"object", object}}) + "\n");
  }

  void expired() {
    const Json status = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Failure"},
                         {"message", fmt::format("too old resource version: {} ({})", position_, hub_.newest())},
                         {"reason", "Expired"}, {"code", 410}};
    out_->send(wire_json(Json{{"type", "ERROR"}, {"object", status}}) + "\n");
  }

  cluster::Cluster& cluster_;
  WatchHub& hub_;
  WatchSpec spec_;
  std::shared_ptr<Outbox> out_;
  std::uint64_t position_;
  std::set<std::string> visible_;  // uids that matched when last seen
  bool started_ = false;
  bool first_ = true;
  Clock::time_point last_bookmark_ = Clock::now();
};

}  // namespace

Reply open_watch(cluster::Cluster& cluster, WatchHub& hub, const Request& request, const ResourcePath& path,
                 Selectors selectors) {
  WatchSpec spec{path.kind, path.kind->namespaced ? path.ns : std::string(), std::move(selectors),
                 wants_table(request.accept), include_object(request.param("includeObject")), hub.newest(), true,
                 Clock::now() + std::chrono::seconds(kDefaultTimeoutSeconds),
                 request.param("allowWatchBookmarks") == "true" || request.param("allowWatchBookmarks") == "1"};
  if (const auto rv = request.param("resourceVersion"); !rv.empty() && rv != "0") {
    std::uint64_t from = 0;
    if (std::from_chars(rv.data(), rv.data() + rv.size(), from).ec != std::errc())
      return {status_response(400, "BadRequest", "invalid resource version: " + rv)};
    if (from > hub.newest())
      return {status_response(504, "Timeout", fmt::format("Too large resource version: {}, current: {}", from, hub.newest()))};
    spec.from = from;
    spec.initial = false;
  }
  if (const auto t = request.param("timeoutSeconds"); !t.empty()) {
    int seconds = 0;
    if (std::from_chars(t.data(), t.data() + t.size(), seconds).ec == std::errc() && seconds > 0)
      spec.deadline = Clock::now() + std::chrono::seconds(seconds);
  }
  Reply reply;
  reply.response.status = 200;
  reply.response.content_type = "application/json";
  reply.open_stream = [&cluster, &hub, spec = std::move(spec)](std::shared_ptr<Outbox> out) mutable -> std::unique_ptr<Stream> {
    return std::make_unique<WatchStream>(cluster, hub, std::move(spec), std::move(out));
  };
  return reply;
}

}  // namespace kvsim::sim::apiserver
