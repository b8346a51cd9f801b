#pragma once
// What virtctl's verbs need of a cluster: KubeVirt's subresource API and a few
// object reads and creates. Two implementations: over HTTPS through a
// kubeconfig (rest_kubevirt_api.hpp: kvsim's endpoint or a real cluster), and
// in process on kvsim's own cluster (the shell, sim/commands). The verbs
// (virtctl_verbs.hpp) are written once against this interface.
#include <string>

#include "models/codec/decoder.hpp"

namespace kvsim::sim::client {

// One answer, as a verb reads it.
struct ApiResult {
  int code = 0;        // HTTP status; 0 when no answer came (the transport failed)
  models::Json body;   // the entity of a success (null when the body was empty)
  std::string error;   // set on failure: client-go's text of the refusal, or the transport's error
  bool ok() const { return error.empty(); }
};

class KubeVirtApi {
 public:
  virtual ~KubeVirtApi() = default;
  // METHOD /apis/subresources.kubevirt.io/v1/namespaces/NS/RESOURCE/NAME/SUB with a JSON body.
  virtual ApiResult subresource(const std::string& method, const std::string& ns, const std::string& resource,
                                const std::string& name, const std::string& sub, const std::string& body) = 0;
  // GET /apis/subresources.kubevirt.io/v1/version: the KubeVirt release virt-api runs.
  virtual ApiResult kubevirt_version() = 0;
  // GET one object; api_version "v1" (core) or "GROUP/VERSION"; resource plural.
  virtual ApiResult get(const std::string& api_version, const std::string& resource, const std::string& ns,
                        const std::string& name) = 0;
  // POST an object to its collection.
  virtual ApiResult create(const std::string& api_version, const std::string& resource, const std::string& ns,
                           const models::Json& object) = 0;
};

}  // namespace kvsim::sim::client
