#pragma once
// Lab checks read through any Kubernetes API: an ObjectSource (the interface
// checks evaluate, sim/scenario/check.hpp) backed by GETs through a kubeconfig.
// Objects come back as the server wrote them: their metadata is read
// leniently (a real cluster's objects carry fields kvsim does not model) and
// checks read their fields from the JSON. Reads are remembered for the
// object source's life, so one grading sees one state of the cluster.
#include <map>
#include <string>

#include "sim/client/https_client.hpp"
#include "sim/scenario/check.hpp"

namespace kvsim::sim::client {

class ApiObjects final : public scenario::ObjectSource {
 public:
  explicit ApiObjects(HttpsClient& http) : http_(http) {}
  models::ObjectPtr get(const models::KindInfo& kind, const std::string& ns, const std::string& name) const override;
  std::vector<models::ObjectPtr> list(const models::KindInfo& kind, const std::string& ns,
                                      const models::LabelSelector* selector) const override;
  // The first failed read ("" when every read worked): a grade is not to be trusted then.
  const std::string& error() const { return error_; }

 private:
  // The JSON at `target` (null for a 404), remembered.
  const models::Json& fetch(const std::string& target) const;
  HttpsClient& http_;
  mutable std::map<std::string, models::Json> cache_;
  mutable std::string error_;
};

// An object of `kind` as the server sent it (metadata decoded leniently; to_json is the JSON).
models::ObjectPtr object_from_json(const models::KindInfo& kind, const models::Json& json);

}  // namespace kvsim::sim::client
