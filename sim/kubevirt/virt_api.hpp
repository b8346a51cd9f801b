#pragma once
// Whether virt-api serves, and what the API server answers when it does not.
// virt-api is the backend of KubeVirt's admission webhooks (failurePolicy Fail)
// and of the subresources.kubevirt.io aggregated API (start/stop/restart...):
// with no virt-api pod running, writes of KubeVirt resources and virtctl
// subresource calls fail. virt-api serves when one of its pods is Running and
// Ready on a host that is up. At t = 0 the store's bootstrap recreates the pods
// of an installed virt-api: it counts as serving until its Deployment is first
// available.
#include <string>

#include "models/kind_info.hpp"
#include "sim/api/store.hpp"

namespace kvsim::sim::kubevirt {

bool virt_api_serving(const api::Store& store);

// The API server's message for creating or updating an object of `kind` while
// virt-api does not serve ("" when it serves or no KubeVirt webhook covers the kind).
std::string virt_api_webhook_error(const api::Store& store, const models::KindInfo& kind);

// The aggregated API's answer to a virtctl subresource call (`verb` start, stop,
// restart...) on VM `name` while virt-api does not serve ("" when it serves).
std::string virt_api_subresource_error(const api::Store& store, const std::string& verb, const std::string& name);

}  // namespace kvsim::sim::kubevirt
