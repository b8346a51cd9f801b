#include "sim/client/rest_kubevirt_api.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/client/api_errors.hpp"
#include "sim/client/json_fields.hpp"

namespace kvsim::sim::client {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Go's http.Request method as client-go's errors spell it: Get, Put, Post.
std::string go_method(const std::string& method) {
  std::string m = lower(method);
  if (!m.empty()) m[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m[0])));
  return m;
}

std::string qualified(const std::string& api_version, const std::string& resource) {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? resource : resource + "." + api_version.substr(0, slash);
}

}  // namespace

std::string resource_path(const std::string& api_version, const std::string& resource, const std::string& ns,
                          const std::string& name) {
  std::string path = api_version.find('/') == std::string::npos ? "/api/" + api_version : "/apis/" + api_version;
  if (!ns.empty()) path += "/namespaces/" + ns;
  path += "/" + resource;
  if (!name.empty()) path += "/" + name;
  return path;
}

ApiResult RestKubeVirtApi::call(const std::string& method, const std::string& target, const std::string& body,
                                const std::string& verb, const std::string& resource, const std::string& name) {
  ApiResult r;
  const auto res = http_.request(method, target, body);
  r.code = res.status;
  if (res.status == 0) {
    r.error = fmt::format("{} \"{}{}\": {}", go_method(method), http_.config().server, target, res.error);
    return r;
  }
  if (res.status >= 200 && res.status < 300) {
    if (!res.body.empty()) {
      r.body = models::Json::parse(res.body, nullptr, false);
      if (r.body.is_discarded()) {
        r.body = nullptr;
        r.error = fmt::format("the server's answer to {} {} is not JSON", method, target);
      }
    }
    return r;
  }
  r.error = client_error_text(res.status, res.content_type, res.body, {verb, resource, name});
  return r;
}

ApiResult RestKubeVirtApi::subresource(const std::string& method, const std::string& ns, const std::string& resource,
                                       const std::string& name, const std::string& sub, const std::string& body) {
  const std::string target =
      fmt::format("/apis/subresources.kubevirt.io/v1/namespaces/{}/{}/{}/{}", ns, resource, name, sub);
  return call(method, target, body, lower(method), resource + ".subresources.kubevirt.io", name);
}

ApiResult RestKubeVirtApi::kubevirt_version() {
  return call("GET", "/apis/subresources.kubevirt.io/v1/version", {}, "get", "", "");
}

ApiResult RestKubeVirtApi::get(const std::string& api_version, const std::string& resource, const std::string& ns,
                               const std::string& name) {
  return call("GET", resource_path(api_version, resource, ns, name), {}, "get", qualified(api_version, resource), name);
}

ApiResult RestKubeVirtApi::create(const std::string& api_version, const std::string& resource, const std::string& ns,
                                  const models::Json& object) {
  return call("POST", resource_path(api_version, resource, ns), object.dump(), "post", qualified(api_version, resource),
              json_string(json_object(object, "metadata"), "name"));
}

}  // namespace kvsim::sim::client
