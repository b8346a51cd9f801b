#include "sim/apiserver/protobuf_bodies.hpp"

#include <string_view>

#include "models/base64.hpp"

namespace kvsim::sim::apiserver {
namespace {

using models::Json;

// A protobuf message's fields, read one at a time; `ok` drops to false on
// anything malformed and stays there.
class Reader {
 public:
  explicit Reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool more() const { return ok_ && p_ < end_; }
  bool ok() const { return ok_; }

  // The next field's number and wire type (0 varint, 1 fixed64, 2 bytes, 5 fixed32).
  bool next(std::uint64_t& field, int& wire) {
    const auto key = varint();
    field = key >> 3;
    wire = static_cast<int>(key & 7);
    return ok_ && field > 0;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) break;
      const auto b = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  std::string_view bytes() {
    const auto n = varint();
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string_view out(p_, n);
    p_ += n;
    return out;
  }
  void skip(int wire) {
    const std::ptrdiff_t sizes[] = {0, 8, 0, 0, 0, 4};
    if (wire == 0) varint();
    else if (wire == 2) bytes();
    else if ((wire == 1 || wire == 5) && end_ - p_ >= sizes[wire]) p_ += sizes[wire];
    else ok_ = false;
  }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

// Reads a message of length-delimited and varint fields, handing each to `on`;
// false when malformed.
template <class F>
bool read_message(std::string_view data, F on) {
  Reader r(data);
  std::uint64_t field = 0;
  int wire = 0;
  while (r.more()) {
    if (!r.next(field, wire)) return false;
    if (!on(r, field, wire)) r.skip(wire);
  }
  return r.ok();
}

// A field holding a message: reads it with `on`; a malformed one marks `bad`.
template <class F>
bool nested(Reader& r, bool& bad, F on) {
  if (!read_message(r.bytes(), on)) bad = true;
  return true;
}

bool text_field(Reader& r, int wire, Json& out) {
  if (wire != 2) return false;
  out = std::string(r.bytes());
  return true;
}

// DeleteOptions fields into `d`.
bool read_delete_options(std::string_view data, Json& d, bool& bad) {
  return read_message(data, [&](Reader& t, std::uint64_t f, int w) {
    if (f == 1 && w == 0) {
      d["gracePeriodSeconds"] = static_cast<std::int64_t>(t.varint());
      return true;
    }
    if (f == 2 && w == 2)
      return nested(t, bad, [&](Reader& p, std::uint64_t pf, int pw) {
        if (pf == 1) return text_field(p, pw, d["preconditions"]["uid"]);
        if (pf == 2) return text_field(p, pw, d["preconditions"]["resourceVersion"]);
        return false;
      });
    if (f == 3 && w == 0) {
      d["orphanDependents"] = t.varint() != 0;
      return true;
    }
    if (f == 4) return text_field(t, w, d["propagationPolicy"]);
    if (f == 5 && w == 2) {
      d["dryRun"].push_back(std::string(t.bytes()));
      return true;
    }
    return false;
  });
}

// A map<string, string|bytes> entry (key 1, value 2) into `out`; bytes
// values become base64, as their JSON form is.
bool map_entry(Reader& r, bool& bad, Json& out, bool bytes_value) {
  std::string key, value;
  nested(r, bad, [&](Reader& e, std::uint64_t f, int w) {
    if (w != 2 || (f != 1 && f != 2)) return false;
    (f == 1 ? key : value) = std::string(e.bytes());
    return true;
  });
  out[key] = bytes_value ? models::base64_encode(value) : value;
  return true;
}

// The ObjectMeta fields a client sets on create: name 1, generateName 2,
// namespace 3, labels 11, annotations 12 (meta/v1 generated.proto).
bool read_create_meta(Reader& r, bool& bad, Json& m) {
  return nested(r, bad, [&](Reader& t, std::uint64_t f, int w) {
    if (f == 1) return text_field(t, w, m["name"]);
    if (f == 2) return text_field(t, w, m["generateName"]);
    if (f == 3) return text_field(t, w, m["namespace"]);
    if ((f == 11 || f == 12) && w == 2) return map_entry(t, bad, m[f == 11 ? "labels" : "annotations"], false);
    return false;
  });
}

// A core/v1 Secret (metadata 1, data 2 map<string,bytes>, type 3, stringData
// 4, immutable 5) or ConfigMap (metadata 1, data 2, binaryData 3
// map<string,bytes>, immutable 4): what `kubectl create secret|configmap` sends.
bool read_config_object(std::string_view raw, bool secret, Json& obj, bool& bad) {
  return read_message(raw, [&](Reader& r, std::uint64_t f, int w) {
    if (f == 1 && w == 2) return read_create_meta(r, bad, obj["metadata"]);
    if (f == 2 && w == 2) return map_entry(r, bad, obj["data"], secret);
    if (secret && f == 3) return text_field(r, w, obj["type"]);
    if (secret && f == 4 && w == 2) return map_entry(r, bad, obj["stringData"], false);
    if (!secret && f == 3 && w == 2) return map_entry(r, bad, obj["binaryData"], true);
    if (w == 0 && f == (secret ? 5u : 4u)) {
      obj["immutable"] = r.varint() != 0;
      return true;
    }
    return false;
  });
}

}  // namespace

std::optional<Json> decode_protobuf_body(const std::string& body, std::string& error) {
  static constexpr std::string_view kMagic("k8s\0", 4);
  if (std::string_view(body).substr(0, 4) != kMagic) {
    error = "not a Kubernetes protobuf message (no k8s\\0 prefix)";
    return std::nullopt;
  }
  Json type = Json::object();
  std::string_view raw;
  bool bad = false;
  bool ok = read_message(std::string_view(body).substr(4), [&](Reader& r, std::uint64_t field, int wire) {
    if (field == 1 && wire == 2)
      return nested(r, bad, [&](Reader& t, std::uint64_t f, int w) {
        if (f == 1) return text_field(t, w, type["apiVersion"]);
        if (f == 2) return text_field(t, w, type["kind"]);
        return false;
      });
    if (field == 2 && wire == 2) {
      raw = r.bytes();
      return true;
    }
    return false;
  });
  if (!ok || bad) {
    error = "a malformed protobuf envelope";
    return std::nullopt;
  }
  const auto kind = type.value("kind", std::string());
  if (kind == "DeleteOptions") {
    Json d = {{"apiVersion", type.value("apiVersion", std::string("v1"))}, {"kind", "DeleteOptions"}};
    if (!read_delete_options(raw, d, bad) || bad) {
      error = "a malformed protobuf DeleteOptions";
      return std::nullopt;
    }
    return d;
  }
  if ((kind == "Secret" || kind == "ConfigMap") && type.value("apiVersion", std::string()) == "v1") {
    Json obj = {{"apiVersion", "v1"}, {"kind", kind}, {"metadata", Json::object()}};
    if (!read_config_object(raw, kind == "Secret", obj, bad) || bad) {
      error = "a malformed protobuf " + kind;
      return std::nullopt;
    }
    return obj;
  }
  if (kind != "Eviction") {
    error = "kvsim reads protobuf only for an Eviction, DeleteOptions, Secret or ConfigMap, not " +
            (kind.empty() ? std::string("an unnamed kind") : kind);
    return std::nullopt;
  }
  Json eviction = {{"apiVersion", type.value("apiVersion", std::string("policy/v1"))}, {"kind", "Eviction"}};
  ok = read_message(raw, [&](Reader& r, std::uint64_t field, int wire) {
    if (field == 1 && wire == 2) {
      Json& m = eviction["metadata"] = Json::object();
      return nested(r, bad, [&](Reader& t, std::uint64_t f, int w) {
        if (f == 1) return text_field(t, w, m["name"]);
        if (f == 3) return text_field(t, w, m["namespace"]);
        return false;
      });
    }
    if (field == 2 && wire == 2) {
      Json& d = eviction["deleteOptions"] = Json::object();
      if (!read_delete_options(r.bytes(), d, bad)) bad = true;
      return true;
    }
    return false;
  });
  if (!ok || bad) {
    error = "a malformed protobuf Eviction";
    return std::nullopt;
  }
  return eviction;
}

}  // namespace kvsim::sim::apiserver
