#include "models/template.hpp"

#include <fmt/format.h>

#include <set>

#include "models/codec/schema.hpp"
#include "models/validation.hpp"

namespace kvsim::models {
namespace {

// openshift-apiserver's template validation: objects are a list; parameter names are
// unique and match [a-zA-Z0-9_]+, as ${NAME} references them.
void validate_template(const Object& o, DecodeContext& ctx) {
  const auto& t = static_cast<const Template&>(o);
  validate_metadata(t.metadata, true, NameRule::Subdomain, ctx);
  if (!t.objects.is_null() && !t.objects.is_array()) ctx.invalid("objects", "Invalid value: must be a list of objects");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < t.parameters.size(); ++i) {
    const auto& name = t.parameters[i].name;
    const auto path = fmt::format("parameters[{}].name", i);
    const bool valid = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
    if (!valid) ctx.invalid(path, fmt::format("Invalid value: \"{}\": does not match ^[a-zA-Z0-9_]+$", name));
    else if (!seen.insert(name).second) ctx.invalid(path, fmt::format("Duplicate value: \"{}\"", name));
  }
}

}  // namespace

const KindInfo& Template::kind_info() {
  static const KindInfo info = with_schema<Template>({"Template", "template.openshift.io/v1", "templates", {}, true,
                                                      {}, &decode_kind<Template>, &validate_template, nullptr,
                                                      false});
  return info;
}

}  // namespace kvsim::models
