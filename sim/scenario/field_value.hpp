#pragma once
// Reading one field of an object by path, as checks, counts and labs do:
// status.phase, spec.template.metadata.labels.app, status.interfaces[0].ipAddress,
// status.conditions[type=Ready].status. The answer is what the object's JSON
// (to_json) holds at that path: "" when any part is missing, a string as it is,
// anything else as compact JSON.
#include <string>

#include "models/meta.hpp"

namespace kvsim::sim::scenario {

// Counts read a field of every object of a kind at each sim instant, so this
// does not serialise the whole object: it walks the typed object to the member
// the path names and encodes only that member.
std::string field_value(const models::Object& o, const std::string& path);

// The same read on an object's JSON. field_value answers with it for a kind it
// has no typed walk for; the tests hold the typed walk to it.
std::string field_value_in_json(const models::Json& object, const std::string& path);

}  // namespace kvsim::sim::scenario
