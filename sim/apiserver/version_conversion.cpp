#include "sim/apiserver/version_conversion.hpp"

#include <memory>
#include <utility>

#include "models/registry.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

// The object itself (a list: its apiVersion is the kind's too), a list's
// items, a Table's rows' objects (includeObject=Object), a watch event's object.
void convert_in_place(Json& j, const models::KindInfo& kind, const std::string& wanted) {
  if (!j.is_object()) return;
  j = models::in_served_version(std::move(j), kind, wanted);
  if (auto items = j.find("items"); items != j.end() && items->is_array())
    for (auto& item : *items) convert_in_place(item, kind, wanted);
  if (auto rows = j.find("rows"); rows != j.end() && rows->is_array())
    for (auto& row : *rows)
      if (row.is_object() && row.contains("object")) convert_in_place(row["object"], kind, wanted);
  if (auto object = j.find("object"); object != j.end()) convert_in_place(*object, kind, wanted);
}

// Watch events go out line by line: each is converted on its way.
class ConvertingOutbox : public Outbox {
 public:
  ConvertingOutbox(std::shared_ptr<Outbox> inner, const models::KindInfo& kind, std::string api_version)
      : inner_(std::move(inner)), kind_(kind), api_version_(std::move(api_version)) {}
  void send(std::string bytes) override {
    Json event = Json::parse(bytes, nullptr, false);
    if (event.is_discarded()) return inner_->send(std::move(bytes));
    inner_->send(wire_json(in_version(std::move(event), kind_, api_version_)) + "\n");
  }
  void close() override { inner_->close(); }
  bool peer_gone() const override { return inner_->peer_gone(); }

 private:
  std::shared_ptr<Outbox> inner_;
  const models::KindInfo& kind_;
  std::string api_version_;
};

bool is_json(const Response& r) { return r.content_type.rfind("application/json", 0) == 0 && !r.body.empty(); }

}  // namespace

Json in_version(Json object, const models::KindInfo& kind, const std::string& api_version) {
  if (api_version != kind.api_version) convert_in_place(object, kind, api_version);
  return object;
}

Reply in_requested_version(Reply reply, const ResourcePath& path) {
  if (!path.kind) return reply;
  const models::KindInfo& kind = *path.kind;
  const std::string wanted = path.api_version();
  if (const auto warning = models::deprecation_warning(kind, wanted); !warning.empty())
    reply.response.headers.emplace_back("Warning", "299 - \"" + std::string(warning) + "\"");
  if (wanted == kind.api_version) return reply;
  if (is_json(reply.response)) {
    Json body = Json::parse(reply.response.body, nullptr, false);
    if (!body.is_discarded()) reply.response.body = wire_json(in_version(std::move(body), kind, wanted));
  }
  if (reply.open_stream) {
    reply.open_stream = [open = std::move(reply.open_stream), &kind, wanted](std::shared_ptr<Outbox> out) {
      return open(std::make_shared<ConvertingOutbox>(std::move(out), kind, wanted));
    };
  }
  return reply;
}

}  // namespace kvsim::sim::apiserver
