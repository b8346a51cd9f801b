#include "sim/controllers/endpoints/endpoints_controller.hpp"

#include <fmt/format.h>

#include "models/discovery.hpp"
#include "sim/controllers/endpoints/plan.hpp"

namespace kvsim::sim::controllers::endpoints {

using models::Endpoints;
using models::Pod;
using models::Service;

namespace {

constexpr const char* kHeadlessLabel = "service.kubernetes.io/headless";

bool selects(const Service& svc, const models::Labels& labels) {
  if (svc.spec.selector.empty()) return false;
  for (const auto& [k, v] : svc.spec.selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

std::string summary(const std::vector<models::EndpointSubset>& subsets) {
  std::size_t ready = 0, not_ready = 0;
  for (const auto& s : subsets) {
    ready += s.addresses.size();
    not_ready += s.notReadyAddresses.size();
  }
  return not_ready ? fmt::format("{} ready, {} not ready", ready, not_ready) : fmt::format("{} ready", ready);
}

}  // namespace

EndpointsController::EndpointsController(Context& ctx, std::string host)
    : Component(ctx, "endpoint-controller", std::move(host)) {}

void EndpointsController::start() {
  Component::start();
  if (watching_) return;
  watching_ = true;
  watch({&Service::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { enqueue(key_of(*e.object)); });
  watch({&Pod::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { on_pod(e); });
  // Endpoints changed by hand are put back.
  watch({&Endpoints::kind_info(), {}, std::nullopt, {}}, [this](const api::WatchEvent& e) { enqueue(key_of(*e.object)); });
  for (const auto& o : ctx_.store.list(Service::kind_info())) enqueue(key_of(*o));
}

// The Services whose selector matches the pod before or after the change.
void EndpointsController::on_pod(const api::WatchEvent& e) {
  const auto& ns = e.object->metadata.namespace_;
  for (const auto& o : ctx_.store.list(Service::kind_info(), ns)) {
    const auto& svc = static_cast<const Service&>(*o);
    if (selects(svc, e.object->metadata.labels) || (e.old && selects(svc, e.old->metadata.labels))) enqueue(key_of(svc));
  }
}

void EndpointsController::reconcile(const std::string& key) {
  const auto [ns, name] = split_key(key);
  auto svc = ctx_.store.get<Service>(ns, name);
  auto current = ctx_.store.get<Endpoints>(ns, name);
  if (!svc || svc->metadata.being_deleted()) {
    if (current && !svc)
      ctx_.store.remove(Endpoints::kind_info(), ns, name, cause("deleted", "service " + key + " is gone"));
    return;
  }
  if (svc->spec.selector.empty()) return;  // no selector: the Endpoints are the user's
  const models::LabelSelector selector{svc->spec.selector, {}};
  std::vector<const Pod*> pods;
  const auto objects = ctx_.store.list(Pod::kind_info(), ns, &selector);
  for (const auto& o : objects) pods.push_back(static_cast<const Pod*>(o.get()));
  auto next = std::make_shared<Endpoints>();
  next->apiVersion = "v1";
  next->kind = "Endpoints";
  next->metadata.name = name;
  next->metadata.namespace_ = ns;
  next->metadata.labels = svc->metadata.labels;
  if (svc->spec.clusterIP == "None") next->metadata.labels[kHeadlessLabel] = "";
  next->subsets = endpoint_subsets(*svc, pods);
  const auto selector_text = models::to_string(selector);
  if (!current) {
    ctx_.store.create(next, cause("created: " + summary(next->subsets), "pods matching " + selector_text));
    return;
  }
  if (current->metadata.labels == next->metadata.labels &&
      models::encode_value(current->subsets) == models::encode_value(next->subsets))
    return;
  auto updated = std::static_pointer_cast<Endpoints>(current->clone());
  updated->metadata.labels = next->metadata.labels;
  updated->subsets = next->subsets;
  ctx_.store.update(updated, cause(summary(updated->subsets), "pods matching " + selector_text));
}

}  // namespace kvsim::sim::controllers::endpoints
