#pragma once
// Standard base64 (RFC 4648, with padding), as Go's encoding/json reads and
// writes []byte fields: a Secret's `data` values are base64 on the wire.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kvsim::models {

std::string base64_encode(std::string_view bytes);

// The decoded bytes, or nullopt with `bad_byte` set to the offset Go's
// decoder names in "illegal base64 data at input byte N".
std::optional<std::string> base64_decode(std::string_view text, std::size_t& bad_byte);

}  // namespace kvsim::models
