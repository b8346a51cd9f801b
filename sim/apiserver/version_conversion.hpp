#pragma once
// A kind served in more than one version (kubevirt.io/v1 and v1alpha3):
// objects are stored in the kind's own version, and a request that names
// another reads and writes in that one. Upstream's KubeVirt CRDs convert with
// strategy None: only apiVersion changes. A deprecated version adds upstream's
// Warning header to every answer, which kubectl prints as "Warning: ...".
// (apiextensions-apiserver customresource_handler.go ServeHTTP; KubeVirt
// v1.5.0 api/core/v1/register.go ApiSupportedVersions.)
#include <string>

#include "sim/apiserver/handler.hpp"

namespace kvsim::sim::apiserver {

// `object` (an object, a list, a Table, a watch event) with the apiVersion of
// what it holds of `kind` changed from the stored version to `api_version`.
// Other apiVersions (a Status, ownerReferences) stay as they are.
models::Json in_version(models::Json object, const models::KindInfo& kind, const std::string& api_version);

// The reply to a request for `path` as its version shows it: bodies and watch
// events converted, and the deprecation warning of that version.
Reply in_requested_version(Reply reply, const ResourcePath& path);

}  // namespace kvsim::sim::apiserver
