#pragma once
// Storage object in-use protection (pkg/controller/volume/pvcprotection and
// pvprotection). Admission gives every PVC the `kubernetes.io/pvc-protection`
// finalizer and every PV `kubernetes.io/pv-protection`; once deleted, a PVC
// stays Terminating while a scheduled, unfinished pod uses it, and a PV while
// it is Bound. Then the finalizer goes and so does the object.
#include <map>
#include <set>

#include "sim/controllers/component.hpp"

namespace kvsim::sim::controllers::pvbinder {

inline constexpr const char* kPvcProtection = "kubernetes.io/pvc-protection";
inline constexpr const char* kPvProtection = "kubernetes.io/pv-protection";

// A pod that holds a claim against deletion: scheduled, not finished, and naming it.
bool pod_uses_claim(const models::Pod& pod, const std::string& claim);

class PvcProtectionController : public Component {
 public:
  PvcProtectionController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  bool watching_ = false;
};

class PvProtectionController : public Component {
 public:
  PvProtectionController(Context& ctx, std::string host);
  void start() override;

 private:
  void reconcile(const std::string& key) override;
  bool watching_ = false;
};

}  // namespace kvsim::sim::controllers::pvbinder
