// GET /openapi/v3, /openapi/v3/<group-version> and /openapi/v2: the
// documents of openapi_document.hpp, with the caching headers upstream's
// server sends (kube-openapi pkg/handler3/handler.go).
#include "sim/apiserver/handler.hpp"
#include "sim/apiserver/openapi_document.hpp"
#include "sim/apiserver/status.hpp"

namespace kvsim::sim::apiserver {
namespace {

constexpr std::string_view kV3 = "/openapi/v3";

Response document(const OpenApiDocument& doc) {
  Response r;
  r.body = doc.body;
  r.headers.emplace_back("ETag", "\"" + doc.hash + "\"");
  return r;
}

// kvsim serves JSON only; kubectl asks for JSON (client-go openapi3 root and
// explain both fetch with Accept: application/json).
bool accepts_json(const std::string& accept) {
  return accept.empty() || accept.find("json") != std::string::npos || accept.find("*/*") != std::string::npos ||
         accept.find("application/*") != std::string::npos;
}

Response group_version(const Request& request, const std::string& key) {
  const auto& docs = openapi_documents().group_versions;
  auto it = docs.find(key);
  if (it == docs.end())
    return status_response(404, "NotFound", "no OpenAPI document for \"" + key + "\": kvsim models no kind there");
  if (!accepts_json(request.accept))
    return status_response(406, "NotAcceptable", "kvsim serves OpenAPI documents as application/json only");
  const OpenApiDocument& doc = it->second;
  const std::string hash = request.param("hash");
  if (!hash.empty() && hash != doc.hash) {
    // A client holding an old URL (another kvsim build) is sent to the current one.
    Response moved = status_response(301, "MovedPermanently", "the document changed: fetch it again");
    moved.headers.emplace_back("Location", std::string(kV3) + "/" + key + "?hash=" + doc.hash);
    return moved;
  }
  Response r = document(doc);
  r.headers.emplace_back("Vary", "Accept");
  // The URL carries the hash of the bytes, so what it names never changes:
  // kubectl's HTTP cache (~/.kube/cache/http) may keep it. Upstream adds an
  // Expires a year ahead; max-age says the same without reading the clock.
  if (!hash.empty()) r.headers.emplace_back("Cache-Control", "public, immutable, max-age=31536000");
  return r;
}

// /openapi/v2 is answered with an empty protobuf document, not a 404. kubectl
// falls back to v2 for client-side validation whenever v3 cannot vouch for a
// document: a `kind: List` (what `kubectl get -o yaml` writes), or a kind
// absent from v3. A 404 there fails `kubectl apply` with "failed to download
// openapi"; an empty document makes that validation find no schema and pass,
// leaving the checks to kvsim's own strict decoding (cli-runtime
// query_param_verifier_v3.go, kubectl pkg/validation/validation.go). The
// apply patcher likewise finds no patch types in it and uses kubectl's
// compiled-in types. The Content-Type is spelled without the "@" of the
// Accept header, which Go's mime parser refuses (KUBE-API.md §1).
Response openapi_v2(const Request& request) {
  if (request.accept.find("protobuf") != std::string::npos) {
    Response r;
    r.content_type = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    return r;
  }
  return json_response(models::Json{
      {"swagger", "2.0"},
      {"info", {{"title", "kvsim"}, {"version", "v2"},
                {"description", "kvsim publishes its schemas as OpenAPI v3 only: see /openapi/v3."}}},
      {"paths", models::Json::object()}});
}

}  // namespace

Response openapi(const Request& request) {
  const std::string& path = request.path;
  const bool v3 = path.rfind(kV3, 0) == 0 && (path.size() == kV3.size() || path[kV3.size()] == '/');
  if (!v3 && path != "/openapi/v2") {
    Response not_openapi;
    not_openapi.status = 0;
    return not_openapi;
  }
  if (request.method != "GET")
    return status_response(405, "MethodNotAllowed", request.method + " is not allowed on " + path);
  if (!v3) return openapi_v2(request);
  std::string key = path.substr(kV3.size());
  while (!key.empty() && key.front() == '/') key.erase(0, 1);
  while (!key.empty() && key.back() == '/') key.pop_back();
  if (key.empty()) return document(openapi_documents().discovery);
  return group_version(request, key);
}

}  // namespace kvsim::sim::apiserver
