#include "models/base64.hpp"

#include <algorithm>

namespace kvsim::models {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (n > 1) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (n > 2) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
  }
  return out;
}

// Go's StdEncoding: padding is required, and nothing may follow it. Go skips
// '\r' and '\n'; kvsim does the same so a wrapped value decodes alike.
std::optional<std::string> base64_decode(std::string_view text, std::size_t& bad_byte) {
  std::string out;
  unsigned acc = 0;
  int have = 0;       // sextets in the current quantum
  int padding = 0;    // '=' seen in the current quantum
  std::size_t quantum_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') continue;
    if (have == 0 && padding == 0) quantum_start = i;
    if (c == '=') {
      // Padding only in the last two places of a quantum.
      if (have < 2) {
        bad_byte = i;
        return std::nullopt;
      }
      ++padding;
      if (have + padding == 4) {
        // Two sextets hold one byte (12 bits, 4 spare), three hold two (18 bits, 2 spare).
        if (have == 2) {
          out += static_cast<char>((acc >> 4) & 0xff);
        } else {
          out += static_cast<char>((acc >> 10) & 0xff);
          out += static_cast<char>((acc >> 2) & 0xff);
        }
        // Anything but line breaks after the padding is an error.
        for (std::size_t j = i + 1; j < text.size(); ++j)
          if (text[j] != '\r' && text[j] != '\n') {
            bad_byte = j;
            return std::nullopt;
          }
        return out;
      }
      continue;
    }
    const int v = value_of(c);
    if (padding > 0) {
      // "x=" must be followed by a second '=': Go names the first one.
      bad_byte = i - 1;
      return std::nullopt;
    }
    if (v < 0) {
      bad_byte = i;
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<unsigned>(v);
    if (++have == 4) {
      out += static_cast<char>((acc >> 16) & 0xff);
      out += static_cast<char>((acc >> 8) & 0xff);
      out += static_cast<char>(acc & 0xff);
      acc = 0;
      have = 0;
    }
  }
  if (have != 0 || padding != 0) {
    // Go names the start of an unpadded quantum, or the end after a short padding.
    bad_byte = padding > 0 ? text.size() : quantum_start;
    return std::nullopt;
  }
  return out;
}

}  // namespace kvsim::models
