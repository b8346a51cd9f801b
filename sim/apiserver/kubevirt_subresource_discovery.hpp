#pragma once
// What GET /apis/subresources.kubevirt.io/{v1,v1alpha3} answers: the
// APIResourceList virt-api writes (pkg/virt-api/api.go composeSubresources),
// naming each subresource as RESOURCE/SUB, namespaced. kvsim lists the ones it
// serves. discovery.cpp answers the group-version path with it.
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::apiserver {

models::Json kubevirt_subresource_resource_list(const std::string& version);

}  // namespace kvsim::sim::apiserver
