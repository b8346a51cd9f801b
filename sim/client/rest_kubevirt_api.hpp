#pragma once
// KubeVirtApi over HTTPS: the requests virtctl (client-go) sends, and
// client-go's reading of the answers. For `kvsim virtctl` against kvsim's
// endpoint or a real cluster.
#include "sim/client/https_client.hpp"
#include "sim/client/kubevirt_api.hpp"

namespace kvsim::sim::client {

class RestKubeVirtApi final : public KubeVirtApi {
 public:
  explicit RestKubeVirtApi(HttpsClient& http) : http_(http) {}
  ApiResult subresource(const std::string& method, const std::string& ns, const std::string& resource,
                        const std::string& name, const std::string& sub, const std::string& body) override;
  ApiResult kubevirt_version() override;
  ApiResult get(const std::string& api_version, const std::string& resource, const std::string& ns,
                const std::string& name) override;
  ApiResult create(const std::string& api_version, const std::string& resource, const std::string& ns,
                   const models::Json& object) override;

 private:
  ApiResult call(const std::string& method, const std::string& target, const std::string& body, const std::string& verb,
                 const std::string& resource, const std::string& name);
  HttpsClient& http_;
};

// /api/v1/namespaces/NS/RESOURCE[/NAME] or /apis/GROUP/VERSION/...; ns empty: cluster-scoped.
std::string resource_path(const std::string& api_version, const std::string& resource, const std::string& ns,
                          const std::string& name = {});

}  // namespace kvsim::sim::client
