#include "models/codec/schema.hpp"

#include <cxxabi.h>
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace kvsim::models {
namespace {

const char* const kRefPrefix = "#/components/schemas/";

// What a reader learns about a field kvsim has no description of. The kind of
// field says the most useful thing; a plain one points to the upstream field.
const char* const kNoDescription =
    "kvsim has no description of its own for this field yet: it means what the upstream API field of the same "
    "name means.";
const char* const kOpaque =
    "Free-form: kvsim keeps what is written here and returns it unchanged, but does not check it further or "
    "simulate what it configures.";
const char* const kNotSimulated =
    "Not simulated: kvsim accepts this field, checks it as its type says and returns it unchanged, but does not "
    "simulate what it configures (kvsim describe names the ones an object sets).";
const char* const kNotModelled =
    "Not modelled: kvsim does not simulate this feature, and refuses a manifest that sets this field.";
const char* const kIgnored =
    "Accepted and discarded: the server writes this field; kvsim does not keep what a manifest puts here.";

// A field's schema with its description: beside the reference in an allOf
// when the schema is a reference (OpenAPI 3.0 ignores siblings of $ref).
Json described(Json schema, const std::string& description) {
  if (schema.contains("$ref")) schema = Json{{"allOf", Json::array({std::move(schema)})}};
  if (!description.empty()) schema["description"] = description;
  return schema;
}

Json enum_schema(std::initializer_list<std::string_view> allowed) {
  Json values = Json::array();
  for (auto a : allowed) values.push_back(std::string(a));
  return Json{{"type", "string"}, {"enum", std::move(values)}};
}

bool upper_at(std::string_view s, std::size_t i) {
  return i < s.size() && std::isupper(static_cast<unsigned char>(s[i]));
}

}  // namespace

// ---- the visitor ----

void SchemaBuilder::add(const char* key, Json schema, bool required, Nature nature) {
  std::string description = set_.description(name_, key);
  if (nature == Nature::NotSimulated) {
    // Said even when kvsim describes the field: that it has no effect is what a reader must not miss.
    if (description.empty()) description = set_.referred_description(schema);
    description = description.empty() ? kNotSimulated : description + " " + kNotSimulated;
  } else if (description.empty()) {
    switch (nature) {
      case Nature::Opaque: description = kOpaque; break;
      case Nature::NotSimulated: break;
      case Nature::NotModelled: description = kNotModelled; break;
      case Nature::Ignored: description = kIgnored; break;
      case Nature::Plain:
        description = set_.referred_description(schema);
        if (description.empty()) description = kNoDescription;
        break;
    }
  }
  properties_[key] = described(std::move(schema), description);
  // Beside the description (a sibling of a $ref would be ignored), for clients and the schema walk test.
  if (nature == Nature::NotSimulated) properties_[key]["x-kvsim-not-simulated"] = true;
  if (required) required_.emplace_back(key);
}

void SchemaBuilder::enumerated(const char* key, std::string&, std::initializer_list<std::string_view> allowed,
                               int presence) {
  add(key, enum_schema(allowed), presence == Required, Nature::Plain);
}

void SchemaBuilder::enumerated(const char* key, std::optional<std::string>&,
                               std::initializer_list<std::string_view> allowed) {
  add(key, enum_schema(allowed), false, Nature::Plain);
}

void SchemaBuilder::not_simulated(const char* key, std::string&, std::initializer_list<std::string_view> allowed) {
  add(key, enum_schema(allowed), false, Nature::NotSimulated);
}

// Some free-form fields hold lists or strings upstream, so no "type": the
// extension alone says "anything is kept".
void SchemaBuilder::opaque(const char* key, Json&) {
  add(key, Json{{"x-kubernetes-preserve-unknown-fields", true}}, false, Nature::Opaque);
}

// Listed, so that `kubectl explain` shows the real API's field and says why
// kvsim refuses it, rather than leaving the reader to guess.
void SchemaBuilder::not_modelled(const char* key) {
  add(key, Json{{"x-kvsim-not-modelled", true}}, false, Nature::NotModelled);
}

void SchemaBuilder::ignore(const char* key) {
  add(key, Json{{"x-kubernetes-preserve-unknown-fields", true}}, false, Nature::Ignored);
}

Json SchemaBuilder::result() const {
  Json out{{"type", "object"}, {"properties", properties_}};
  if (!required_.empty()) out["required"] = required_;
  if (auto d = set_.description(name_, "."); !d.empty()) out["description"] = d;
  return out;
}

// ---- the set ----

std::string SchemaSet::ref_to(const std::string& id) { return kRefPrefix + id; }

std::string SchemaSet::id_from_ref(const Json& schema) {
  if (!schema.is_object() || !schema.contains("$ref")) return "";
  const auto& ref = schema["$ref"].get_ref<const std::string&>();
  return ref.rfind(kRefPrefix, 0) == 0 ? ref.substr(std::string_view(kRefPrefix).size()) : "";
}

Json SchemaSet::named(const std::string& id, const Json& schema) {
  components_.emplace(id, schema);
  return Json{{"$ref", ref_to(id)}};
}

std::string SchemaSet::description(const std::string& schema_name, const std::string& field) const {
  for (const std::string& name : {schema_name, std::string(field == "." ? "" : "*")}) {
    auto type = descriptions_.find(name);
    if (type == descriptions_.end()) continue;
    if (auto f = type->second.find(field); f != type->second.end()) return f->second;
  }
  return "";
}

std::string SchemaSet::referred_description(const Json& schema) const {
  const Json* s = &schema;
  if (s->contains("items")) s = &(*s)["items"];
  else if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object())
    s = &(*s)["additionalProperties"];
  auto it = components_.find(id_from_ref(*s));
  if (it == components_.end() || !it->second.contains("description")) return "";
  return it->second["description"];
}

std::string SchemaSet::claim(std::type_index type, const std::string& name, const std::string& cpp_name) {
  // Object metadata and selectors are apimachinery's, whichever kind meets them first.
  static const std::set<std::string> kMeta = {"ObjectMeta", "OwnerReference", "Condition", "LabelSelector",
                                              "LabelSelectorRequirement"};
  const std::string package = kMeta.contains(cpp_name) ? "io.k8s.apimachinery.pkg.apis.meta.v1" : package_;
  // Two types may share an API name (KubeVirt's Volume and the pod's); the
  // second keeps its C++ name, which is unique.
  for (const std::string& candidate : {package + "." + name, package + "." + cpp_name}) {
    auto [it, inserted] = owners_.emplace(candidate, type);
    if (inserted || it->second == type) return candidate;
  }
  throw std::logic_error("two model types share the schema id " + package + "." + cpp_name);
}

// ---- names ----

std::string cpp_type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                   std::free);
  std::string name = status == 0 && demangled ? demangled.get() : type.name();
  if (auto colons = name.rfind("::"); colons != std::string::npos) name.erase(0, colons + 2);
  return name;
}

std::string api_type_name(std::string_view cpp_name) {
  // kvsim's C++ names abbreviate where the API spells out (VMISpec) or add a
  // prefix to tell KubeVirt's type from the pod's (KvVolume); explain prints
  // the API's names. A prefix counts only when a capital follows it.
  static const std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"Kv", ""},
      {"VMIRS", "VirtualMachineInstanceReplicaSet"},
      {"VMIM", "VirtualMachineInstanceMigration"},
      {"VMI", "VirtualMachineInstance"},
      {"VM", "VirtualMachine"},
      {"PVC", "PersistentVolumeClaim"},
      {"NAD", "NetworkAttachmentDefinition"},
  };
  std::string name(cpp_name);
  for (const auto& [prefix, expansion] : kPrefixes) {
    if (name.rfind(prefix, 0) == 0 && upper_at(name, prefix.size()))
      name = std::string(expansion) + name.substr(prefix.size());
  }
  return name;
}

std::string schema_package(std::string_view api_version) {
  std::string_view group, version = api_version;
  if (auto slash = api_version.find('/'); slash != std::string_view::npos) {
    group = api_version.substr(0, slash);
    version = api_version.substr(slash + 1);
  }
  // Kubernetes' own groups: io.k8s.api.<first label>.<version>, "core" for the legacy group.
  if (group.empty()) return fmt::format("io.k8s.api.core.{}", version);
  constexpr std::string_view kK8sSuffix = ".k8s.io";
  if (group.find('.') == std::string_view::npos ||
      (group.size() > kK8sSuffix.size() && group.ends_with(kK8sSuffix)))
    return fmt::format("io.k8s.api.{}.{}", group.substr(0, group.find('.')), version);
  // Any other group: its labels reversed (kubevirt.io -> io.kubevirt).
  std::string package;
  std::string_view rest = group;
  while (!rest.empty()) {
    auto dot = rest.rfind('.');
    std::string_view label = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
    if (!package.empty()) package += '.';
    package += label;
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(0, dot);
  }
  return package + "." + std::string(version);
}

// ---- scalars ----

Json scalar_schema(SchemaSet&, const std::string*) { return Json{{"type", "string"}}; }
Json scalar_schema(SchemaSet&, const bool*) { return Json{{"type", "boolean"}}; }
Json scalar_schema(SchemaSet&, const std::int32_t*) { return Json{{"type", "integer"}, {"format", "int32"}}; }
Json scalar_schema(SchemaSet&, const std::int64_t*) { return Json{{"type", "integer"}, {"format", "int64"}}; }
Json scalar_schema(SchemaSet&, const double*) { return Json{{"type", "number"}, {"format", "double"}}; }
Json scalar_schema(SchemaSet&, const Timestamp*) { return Json{{"type", "string"}, {"format", "date-time"}}; }
Json scalar_schema(SchemaSet&, const Json*) { return Json{{"x-kubernetes-preserve-unknown-fields", true}}; }

// Both accept a number or a string; named, so that explain prints <Quantity>
// and <IntOrString> rather than <Object>. No "type" on purpose: with one,
// explain would print that type instead of the name.
Json scalar_schema(SchemaSet& set, const Quantity*) {
  return set.named("io.k8s.apimachinery.pkg.api.resource.Quantity",
                   Json{{"anyOf", Json::array({Json{{"type", "integer"}}, Json{{"type", "string"}}})},
                        {"x-kubernetes-int-or-string", true},
                        {"description", set.description("Quantity", ".")}});
}

Json scalar_schema(SchemaSet& set, const IntOrString*) {
  return set.named("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
                   Json{{"anyOf", Json::array({Json{{"type", "integer"}}, Json{{"type", "string"}}})},
                        {"format", "int-or-string"},
                        {"x-kubernetes-int-or-string", true},
                        {"description", set.description("IntOrString", ".")}});
}

}  // namespace kvsim::models
