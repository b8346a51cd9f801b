#pragma once
// OpenAPI v3 schemas of the model: a third walk over each type's
// `visit_fields` (after the Decoder and the Encoder), so the schema the API
// server publishes under /openapi/v3 lists exactly the fields the Decoder
// accepts. `kubectl explain` reads it; so does any client that validates.
//
// Every struct with fields becomes one entry of `components.schemas`,
// referred to by `$ref`. A field that refers to a struct carries its
// description beside the reference in a one-element `allOf`, because
// OpenAPI 3.0 ignores keys next to a `$ref` (upstream's documents do the same,
// and kubectl explain follows both).
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <vector>

#include "models/codec/decoder.hpp"
// Not used here: the files that register kinds include this header, and
// with_schema<T> needs kind_not_simulated<T> defined as well (kind_info.hpp).
#include "models/codec/not_simulated.hpp"

namespace kvsim::models {

// kvsim's own descriptions (models/descriptions.yaml, embedded at build): by
// schema name, the name `kubectl explain` prints between <> (for example
// VirtualMachineSpec), then by field name; the key "." holds the type's own
// description. Under the schema name "*", texts for fields every object type
// has (apiVersion, kind), used where the type has none of its own.
using Descriptions = std::map<std::string, std::map<std::string, std::string>>;
const Descriptions& kvsim_descriptions();
// Throws std::runtime_error, naming the line, when the text is not a map of maps of strings.
Descriptions parse_descriptions(const std::string& yaml);

class SchemaSet;
class SchemaBuilder;
template <class T>
concept HasSchemaFields = requires(SchemaBuilder& b, T& t) { visit_fields(b, t); };

// The schema of a value of type T: a reference to a registered struct, an
// array, a map, or a scalar type.
template <class T>
struct SchemaOf;
template <class T>
Json schema_of(SchemaSet& set) {
  return SchemaOf<T>::get(set);
}

// The visitor: collects one struct's properties and required fields.
class SchemaBuilder {
 public:
  // `name` is the schema name descriptions are looked up under.
  SchemaBuilder(SchemaSet& set, std::string name) : set_(set), name_(std::move(name)) {}

  template <class T>
  void field(const char* key, T&, int presence = Optional) {
    add(key, schema_of<T>(set_), presence == Required, Nature::Plain);
  }
  void enumerated(const char* key, std::string&, std::initializer_list<std::string_view> allowed,
                  int presence = Optional);
  void enumerated(const char* key, std::optional<std::string>&, std::initializer_list<std::string_view> allowed);
  void enumerated(const char* key, Shared<std::string>&, std::initializer_list<std::string_view> allowed,
                  int presence = Optional) {
    std::string plain;
    enumerated(key, plain, allowed, presence);
  }
  void opaque(const char* key, Json&);
  // Typed as a field, marked "x-kvsim-not-simulated", described as kept but not simulated.
  template <class T>
  void not_simulated(const char* key, T&) {
    add(key, schema_of<T>(set_), false, Nature::NotSimulated);
  }
  void not_simulated(const char* key, std::string&, std::initializer_list<std::string_view> allowed);
  void not_modelled(const char* key);
  void ignore(const char* key);

  bool empty() const { return properties_.empty(); }
  // {"type":"object","properties":...,"required":[...]}, with the type's description.
  Json result() const;

 private:
  enum class Nature { Plain, Opaque, NotSimulated, NotModelled, Ignored };
  void add(const char* key, Json schema, bool required, Nature nature);

  SchemaSet& set_;
  std::string name_;
  Json properties_ = Json::object();
  std::vector<std::string> required_;
};

// The schemas of many types, each registered once under a stable id.
// An id is "<package>.<Name>": Name is the type's name as the API spells it
// (kvsim's C++ abbreviations expanded: VMISpec is VirtualMachineInstanceSpec),
// the package is that of the group whose kind first reaches the type while
// kinds are registered in order (core types "io.k8s.api.core.v1", KubeVirt's
// "io.kubevirt.v1"; object metadata "io.k8s.apimachinery.pkg.apis.meta.v1").
// A document that uses a type therefore names it like every other document.
class SchemaSet {
 public:
  explicit SchemaSet(const Descriptions& descriptions = kvsim_descriptions()) : descriptions_(descriptions) {}

  // The package types first met from now on are filed under.
  void set_package(std::string package) { package_ = std::move(package); }

  // Registers T (and every type it is made of) on first use. A struct with
  // no fields (a `masquerade: {}` marker) is not registered: {"type":"object"}.
  template <class T>
  Json reference();
  // Registers a kind's type and returns its id.
  template <class T>
  std::string register_type() {
    auto ref = reference<T>();
    return id_from_ref(ref);
  }
  // A named schema that is not a struct (Quantity, IntOrString): registered
  // once under a fixed id, returned as a reference.
  Json named(const std::string& id, const Json& schema);

  const std::map<std::string, Json>& components() const { return components_; }
  Json& component(const std::string& id) { return components_.at(id); }
  // "" when no description was written.
  std::string description(const std::string& schema_name, const std::string& field) const;
  // The description of the component a schema refers to (directly, or as the
  // items of an array or the values of a map); "" when none.
  std::string referred_description(const Json& schema) const;

  // "#/components/schemas/<id>" and back.
  static std::string ref_to(const std::string& id);
  static std::string id_from_ref(const Json& schema);

 private:
  std::string claim(std::type_index type, const std::string& name, const std::string& cpp_name);

  const Descriptions& descriptions_;
  std::string package_ = "io.kvsim";
  std::map<std::string, Json> components_;
  std::map<std::string, std::type_index> owners_;  // id -> the type that holds it
  std::map<std::type_index, Json> known_;          // lookups only, never iterated
  std::set<std::type_index> in_progress_;
};

// The unqualified C++ name of a type ("VMISpec"), and the name the API gives it
// ("VirtualMachineInstanceSpec").
std::string cpp_type_name(const std::type_info& type);
std::string api_type_name(std::string_view cpp_name);
// The package of a group/version: "v1" -> "io.k8s.api.core.v1",
// "apps/v1" -> "io.k8s.api.apps.v1", "kubevirt.io/v1" -> "io.kubevirt.v1".
std::string schema_package(std::string_view api_version);

// ---- scalars ----
Json scalar_schema(SchemaSet&, const std::string*);
Json scalar_schema(SchemaSet&, const bool*);
Json scalar_schema(SchemaSet&, const std::int32_t*);
Json scalar_schema(SchemaSet&, const std::int64_t*);
Json scalar_schema(SchemaSet&, const double*);
Json scalar_schema(SchemaSet&, const Quantity*);
Json scalar_schema(SchemaSet&, const IntOrString*);
Json scalar_schema(SchemaSet&, const Timestamp*);
Json scalar_schema(SchemaSet&, const Json*);

template <class T>
struct SchemaOf {
  static Json get(SchemaSet& set) {
    if constexpr (HasSchemaFields<T>) return set.reference<T>();
    else return scalar_schema(set, static_cast<const T*>(nullptr));
  }
};
template <class T>
struct SchemaOf<std::optional<T>> {
  static Json get(SchemaSet& set) { return schema_of<T>(set); }
};
template <class T>
struct SchemaOf<Boxed<T>> {
  static Json get(SchemaSet& set) { return schema_of<T>(set); }
};
template <class C>
struct SchemaOf<Sparse<C>> {
  static Json get(SchemaSet& set) { return schema_of<C>(set); }
};
template <class T>
struct SchemaOf<Shared<T>> {
  static Json get(SchemaSet& set) { return schema_of<T>(set); }
};
template <class T>
struct SchemaOf<std::vector<T>> {
  static Json get(SchemaSet& set) { return Json{{"type", "array"}, {"items", schema_of<T>(set)}}; }
};
template <class T>
struct SchemaOf<std::map<std::string, T>> {
  static Json get(SchemaSet& set) { return Json{{"type", "object"}, {"additionalProperties", schema_of<T>(set)}}; }
};

template <class T>
Json SchemaSet::reference() {
  const std::type_index type(typeid(T));
  if (auto it = known_.find(type); it != known_.end()) return it->second;
  if (!in_progress_.insert(type).second)
    throw std::logic_error("schema of " + cpp_type_name(typeid(T)) + " refers to itself");
  const std::string cpp_name = cpp_type_name(typeid(T));
  const std::string name = api_type_name(cpp_name);
  SchemaBuilder builder(*this, name);
  T value{};
  visit_fields(builder, value);
  in_progress_.erase(type);
  Json ref = Json{{"type", "object"}};
  if (!builder.empty()) {
    const std::string id = claim(type, name, cpp_name);
    components_[id] = builder.result();
    ref = Json{{"$ref", ref_to(id)}};
  }
  known_.emplace(type, ref);
  return ref;
}

// What KindInfo::schema points at for a kind of type T.
template <class T>
std::string kind_schema(SchemaSet& set) {
  return set.register_type<T>();
}

}  // namespace kvsim::models
