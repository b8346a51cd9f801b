#include "models/codec/encoder.hpp"

namespace kvsim::models {

Json encode_scalar(const std::string& v) { return v; }
Json encode_scalar(bool v) { return v; }
Json encode_scalar(std::int64_t v) { return v; }
Json encode_scalar(std::int32_t v) { return v; }
Json encode_scalar(double v) { return v; }
Json encode_scalar(const Quantity& v) { return v.text(); }
Json encode_scalar(const IntOrString& v) { return v.is_string ? Json(v.str_value) : Json(v.int_value); }
Json encode_scalar(const Timestamp& v) { return to_rfc3339(v); }
Json encode_scalar(const Json& v) { return v; }

}  // namespace kvsim::models
