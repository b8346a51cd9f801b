#pragma once
// The StatefulSet controller's driver: watches StatefulSets, their pods and
// claims; creates claims then pods `<set>-<ordinal>` in order, deletes from
// the highest ordinal down, rolls template changes out, keeps the claims'
// ownerReferences as the retention policy says, and writes the status.
#include <map>
#include <string>

#include "models/apps.hpp"
#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::statefulset {

class StatefulSetController : public Component {
 public:
  StatefulSetController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  void on_pod(const api::WatchEvent& e);
  void on_claim(const api::WatchEvent& e);
  void create_claims(const models::StatefulSet& set, int ordinal, const std::string& pod);
  // The template of `revision`; the set's own when that revision was never seen.
  const models::PodTemplateSpec& template_of(const models::StatefulSet& set, const std::string& revision) const;

  // Templates by "<namespace>/<revision name>". Upstream keeps them in
  // ControllerRevision objects; kvsim keeps them here (not yet an API kind).
  std::map<std::string, models::PodTemplateSpec> revisions_;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::statefulset
