#include "sim/controllers/deployment/template_hash.hpp"

#include <string_view>

#include "models/codec/encoder.hpp"

namespace kvsim::sim::controllers::deployment {
namespace {

constexpr std::uint32_t kFnvOffset = 2166136261u;
constexpr std::uint32_t kFnvPrime = 16777619u;
constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

std::uint32_t fnv1a(std::uint32_t h, const unsigned char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= data[i];
    h *= kFnvPrime;
  }
  return h;
}

}  // namespace

std::string template_hash(const models::PodTemplateSpec& t, std::optional<std::int32_t> collision_count) {
  const std::string text = models::encode_value(t).dump();
  std::uint32_t h = fnv1a(kFnvOffset, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  if (collision_count) {
    // Little-endian bytes of the count, as upstream's binary.LittleEndian.PutUint32.
    const auto c = static_cast<std::uint32_t>(*collision_count);
    const unsigned char bytes[4] = {static_cast<unsigned char>(c), static_cast<unsigned char>(c >> 8),
                                    static_cast<unsigned char>(c >> 16), static_cast<unsigned char>(c >> 24)};
    h = fnv1a(h, bytes, 4);
  }
  std::string out = std::to_string(h);
  for (char& ch : out) ch = kSafeAlphabet[static_cast<unsigned char>(ch) % kSafeAlphabet.size()];
  return out;
}

bool equal_ignore_hash(const models::PodTemplateSpec& a, const models::PodTemplateSpec& b) {
  auto ca = a, cb = b;
  ca.metadata.labels.erase(kPodTemplateHashLabel);
  cb.metadata.labels.erase(kPodTemplateHashLabel);
  return models::encode_value(ca) == models::encode_value(cb);
}

}  // namespace kvsim::sim::controllers::deployment
