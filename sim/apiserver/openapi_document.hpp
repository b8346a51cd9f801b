#pragma once
// The OpenAPI v3 documents kvsim serves under /openapi/v3: one per
// group/version it models (api/v1, apis/kubevirt.io/v1, ...), built from the
// models' own schemas (models/codec/schema.hpp) and KindInfo, and the
// discovery document that lists them. Pure: no cluster, no SimGrid.
//
// What real kubectl 1.32 reads in them (KUBE-API.md §1 "Validation"):
//  - apply/create/replace (default --validate=strict) look for the PATCH
//    operation of the object's group/version/kind and its `fieldValidation`
//    query parameter; found, kubectl leaves validation to the server and
//    sends ?fieldValidation=Strict.
//  - explain finds the kind's operation under the resource's paths, takes its
//    x-kubernetes-group-version-kind, and prints the component schema that
//    carries the same GVK, following $ref and allOf.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/kind_info.hpp"

namespace kvsim::sim::apiserver {

struct OpenApiDocument {
  models::Json json;
  std::string body;  // json.dump(): the bytes served, and what the hash is of
  std::string hash;  // content_hash(body): in serverRelativeURL and the ETag
};

struct OpenApiDocuments {
  // By discovery key: "api/v1", "apis/kubevirt.io/v1".
  std::map<std::string, OpenApiDocument> group_versions;
  // GET /openapi/v3: {"paths":{"<key>":{"serverRelativeURL":"/openapi/v3/<key>?hash=<H>"}}}.
  OpenApiDocument discovery;
};

// The documents for these kinds (refused kinds, and kinds without a schema, are left out).
OpenApiDocuments build_openapi_documents(const std::vector<const models::KindInfo*>& kinds);
// For every kind kvsim knows (models::all_kinds()), built on first use; the
// same for every request.
const OpenApiDocuments& openapi_documents();

// A stable hash of a document's bytes, as uppercase hex. Upstream uses
// SHA-512; any hash that changes with the content serves kubectl's cache.
std::string content_hash(std::string_view bytes);

}  // namespace kvsim::sim::apiserver
