#include "models/codec/yaml_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <charconv>
#include <regex>
#include <string_view>
#include <vector>

namespace kvsim::models {
namespace {

// ------------------------------------------------------------ what a plain scalar would read as
// go-yaml v2's resolve (resolve.go): a string that a plain scalar would read back as another
// type is written double-quoted (encode.go stringv).

int timestamp_field(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// parseTimestamp: "YYYY-M-D", "YYYY-M-DTh:m:s[.frac](Z|±hh:mm)" (T or t), "YYYY-M-D h:m:s[.frac]",
// each field in range, as Go's time.Parse checks them.
bool is_timestamp(const std::string& s) {
  static const std::regex date_only(R"(^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$)");
  static const std::regex with_zone(
      R"(^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$)");
  static const std::regex spaced(
      R"(^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2}) ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?$)");
  std::smatch m;
  if (!std::regex_match(s, m, date_only) && !std::regex_match(s, m, with_zone) && !std::regex_match(s, m, spaced))
    return false;
  const int year = timestamp_field(m.str(1)), month = timestamp_field(m.str(2)), day = timestamp_field(m.str(3));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > days[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  if (m.size() > 4 && m[4].matched && (timestamp_field(m.str(4)) > 23 || timestamp_field(m.str(5)) > 59 || timestamp_field(m.str(6)) > 59))
    return false;
  return true;
}

// strconv.ParseInt/ParseUint with base 0 (underscores already removed): a sign, then decimal,
// 0x hex, 0o or leading-0 octal, 0b binary; within 64 bits.
bool go_parses_int(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') base = 16, s.remove_prefix(2);
    else if (p == 'o') base = 8, s.remove_prefix(2);
    else if (p == 'b') base = 2, s.remove_prefix(2);
    else base = 8, s.remove_prefix(1);
  }
  if (s.empty()) return false;
  unsigned long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return ec == std::errc() && p == s.data() + s.size();
}

bool resolves_to_other_type(const std::string& s) {
  // resolveMap (bools, nulls, special floats); "" is null.
  static const std::array<const char*, 39> resolved = {
      "y",     "Y",     "yes",   "Yes",   "YES",   "true",  "True",  "TRUE",  "on",    "On",
      "ON",    "n",     "N",     "no",    "No",    "NO",    "false", "False", "FALSE", "off",
      "Off",   "OFF",   "",      "~",     "null",  "Null",  "NULL",  ".nan",  ".NaN",  ".NAN",
      ".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  for (const char* r : resolved)
    if (s == r) return true;
  const char first = s.front();
  static const std::regex yaml_float(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (first == '.') return std::regex_match(s, yaml_float);  // strconv.ParseFloat of ".5", ".5e3"
  if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) return false;
  if (is_timestamp(s)) return true;
  std::string plain;
  for (char c : s)
    if (c != '_') plain += c;
  if (go_parses_int(plain)) return true;
  if (std::regex_match(plain, yaml_float)) return true;
  // -0b101 (ParseInt of the digits after the prefix, base 2)
  return plain.size() > 3 && plain.compare(0, 3, "-0b") == 0 && go_parses_int("0b" + plain.substr(3));
}

// isBase60Float: "1:20", "190:20:30.15" read as sexagesimal numbers in YAML 1.1.
bool is_base60_float(const std::string& s) {
  static const std::regex base60(R"(^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$)");
  return s.find(':') != std::string::npos && std::regex_match(s, base60);
}

// ------------------------------------------------------------ the emitter's analysis of a scalar
// yaml_emitter_analyze_scalar (emitterc.go): which styles can carry the text unchanged.

bool is_break_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '\r' || c == '\n') return true;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return true;  // NEL
  return c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
         (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9);
}

bool is_blankz_at(std::string_view s, std::size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || is_break_at(s, i);
}

std::size_t width_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

unsigned char byte_at(std::string_view s, std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

bool is_printable_at(std::string_view s, std::size_t i) {
  const auto b0 = byte_at(s, i), b1 = byte_at(s, i + 1), b2 = byte_at(s, i + 2);
  return b0 == 0x0A || (b0 >= 0x20 && b0 <= 0x7E) || (b0 == 0xC2 && b1 >= 0xA0) || (b0 > 0xC2 && b0 < 0xED) ||
         (b0 == 0xED && b1 < 0xA0) || b0 == 0xEE ||
         (b0 == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

struct Analysis {
  bool multiline = false, block_plain_allowed = true, single_quoted_allowed = true, block_allowed = true;
};

Analysis analyze(std::string_view value) {
  Analysis a;
  if (value.empty()) {
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = value.starts_with("---") || value.starts_with("...");
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, special = false, line_breaks = false;
  bool previous_space = false, previous_break = false;
  bool preceded_by_whitespace = true;
  bool followed_by_whitespace = is_blankz_at(value, width_at(value, 0));
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (i == 0) {
      if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) block_indicators = true;
      if ((c == '?' || c == ':' || c == '-') && followed_by_whitespace) block_indicators = true;
    } else {
      if (c == ':' && followed_by_whitespace) block_indicators = true;
      if (c == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (!is_printable_at(value, i)) special = true;
    const std::size_t w = width_at(value, i);
    const bool last = i + w >= value.size();
    if (c == ' ') {
      if (i == 0) leading_space = true;
      if (last) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break_at(value, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (last) trailing_break = true;
      if (previous_space) space_break = true;
      previous_break = true;
      previous_space = false;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = is_blankz_at(value, i);
    i += w;
    if (i < value.size()) followed_by_whitespace = is_blankz_at(value, i + width_at(value, i));
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special) a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = false;
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

enum class Style { Plain, Single, Double, Literal };

// stringv's choice, then yaml_emitter_select_scalar_style's corrections (block context).
Style style_for(const std::string& s, bool simple_key) {
  Style style = s.find('\n') != std::string::npos                     ? Style::Literal
                : resolves_to_other_type(s) || is_base60_float(s) ? Style::Double
                                                                     : Style::Plain;
  const Analysis a = analyze(s);
  if (simple_key && a.multiline) style = Style::Double;
  if (style == Style::Plain && (!a.block_plain_allowed || (s.empty() && simple_key))) style = Style::Single;
  if (style == Style::Single && !a.single_quoted_allowed) style = Style::Double;
  if (style == Style::Literal && (!a.block_allowed || simple_key)) style = Style::Double;
  return style;
}

// ------------------------------------------------------------ key order
// go-yaml v2 sorts a map's keys (encode.go, sorter.go keyList.Less): at the first differing
// character, two letters compare as characters, a non-letter sorts before a letter, and runs of
// digits compare as numbers ("a9" before "a10").

bool key_char_is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80; }
bool key_char_is_digit(char c) { return c >= '0' && c <= '9'; }

bool go_yaml_key_less(const std::string& a, const std::string& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    const bool al = key_char_is_letter(a[i]), bl = key_char_is_letter(b[i]);
    if (al && bl) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    if (al || bl) return bl;
    std::int64_t an = 0, bn = 0;
    if (a[i] == '0' || b[i] == '0')
      for (std::size_t j = i; j-- > 0 && key_char_is_digit(a[j]);)
        if (a[j] != '0') {
          an = bn = 1;
          break;
        }
    std::size_t ai = i, bi = i;
    for (; ai < a.size() && key_char_is_digit(a[ai]); ++ai) an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && key_char_is_digit(b[bi]); ++bi) bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  }
  return a.size() < b.size();
}

// ------------------------------------------------------------ writing, with go-yaml's columns

constexpr int kBestWidth = 80;

struct Emitter {
  std::string out;
  int column = 0;

  void put(std::string_view text) {
    for (char c : text) {
      out += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;  // one per character
    }
  }
  void line_break() {
    out += '\n';
    column = 0;
  }
  void pad_to(int indent) {
    while (column < indent) put(" ");
  }
  // yaml_emitter_write_indent within a scalar: a new line at the scalar's indent.
  void continue_at(int indent) {
    line_break();
    pad_to(indent);
  }

  // Plain and single-quoted scalars fold at a single space once past the line width
  // (yaml_emitter_write_plain_scalar, _single_quoted_scalar); keys never fold.
  void folded(std::string_view s, int indent, bool allow_breaks, bool quoted) {
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
      const std::size_t w = width_at(s, i);
      if (s[i] == ' ') {
        const bool inner = !quoted || (i > 0 && i + 1 < s.size());
        if (allow_breaks && !spaces && column > kBestWidth && inner && !(i + 1 < s.size() && s[i + 1] == ' '))
          continue_at(indent);
        else
          put(" ");
        spaces = true;
      } else {
        if (quoted && s[i] == '\'') put("'");
        put(s.substr(i, w));
        spaces = false;
      }
      i += w;
    }
  }

  void double_quoted(std::string_view s, int indent, bool allow_breaks) {
    put("\"");
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
      const std::size_t w = width_at(s, i);
      const auto c = static_cast<unsigned char>(s[i]);
      const bool bom = c == 0xEF && byte_at(s, i + 1) == 0xBB && byte_at(s, i + 2) == 0xBF;
      if (!is_printable_at(s, i) || bom || is_break_at(s, i) || c == '"' || c == '\\') {
        std::uint32_t v = c;
        if (w == 2) v = ((c & 0x1F) << 6) | (byte_at(s, i + 1) & 0x3F);
        else if (w == 3) v = ((c & 0x0F) << 12) | ((byte_at(s, i + 1) & 0x3F) << 6) | (byte_at(s, i + 2) & 0x3F);
        else if (w == 4)
          v = ((c & 0x07) << 18) | ((byte_at(s, i + 1) & 0x3F) << 12) | ((byte_at(s, i + 2) & 0x3F) << 6) |
              (byte_at(s, i + 3) & 0x3F);
        put("\\");
        switch (v) {
          case 0x00: put("0"); break;
          case 0x07: put("a"); break;
          case 0x08: put("b"); break;
          case 0x09: put("t"); break;
          case 0x0A: put("n"); break;
          case 0x0B: put("v"); break;
          case 0x0C: put("f"); break;
          case 0x0D: put("r"); break;
          case 0x1B: put("e"); break;
          case 0x22: put("\""); break;
          case 0x5C: put("\\"); break;
          case 0x85: put("N"); break;
          case 0xA0: put("_"); break;
          case 0x2028: put("L"); break;
          case 0x2029: put("P"); break;
          default: {
            const int digits = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
            put(v <= 0xFF ? "x" : v <= 0xFFFF ? "u" : "U");
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) {
              const unsigned d = (v >> k) & 0x0F;
              const char h = static_cast<char>(d < 10 ? '0' + d : 'A' + d - 10);
              put(std::string_view(&h, 1));
            }
          }
        }
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column > kBestWidth && i > 0 && i + 1 < s.size()) {
          continue_at(indent);
          if (s[i + 1] == ' ') put("\\");
        } else {
          put(" ");
        }
        spaces = true;
      } else {
        put(s.substr(i, w));
        spaces = false;
      }
      i += w;
    }
    put("\"");
  }

  // yaml_emitter_write_literal_scalar with its block scalar hints: an indentation indicator
  // when the text starts with a space or break, "-" without a final break, "+" with several.
  void literal(std::string_view s, int indent) {
    put("|");
    if (s.front() == ' ' || is_break_at(s, 0)) put("2");
    std::size_t last = s.size() - 1;
    while (last > 0 && (static_cast<unsigned char>(s[last]) & 0xC0) == 0x80) --last;
    if (!is_break_at(s, last)) {
      put("-");
    } else if (last == 0) {
      put("+");
    } else {
      std::size_t before = last - 1;
      while (before > 0 && (static_cast<unsigned char>(s[before]) & 0xC0) == 0x80) --before;
      if (is_break_at(s, before)) put("+");
    }
    line_break();
    bool breaks = true;
    for (std::size_t i = 0; i < s.size();) {
      const std::size_t w = width_at(s, i);
      if (is_break_at(s, i)) {
        line_break();
        breaks = true;
      } else {
        if (breaks) pad_to(indent);
        put(s.substr(i, w));
        breaks = false;
      }
      i += w;
    }
    if (!breaks) line_break();
  }

  // A string scalar; `indent` is where its continuation lines start.
  void string_scalar(const std::string& s, int indent, bool simple_key) {
    switch (style_for(s, simple_key)) {
      case Style::Plain: folded(s, indent, !simple_key, false); break;
      case Style::Single:
        put("'");
        folded(s, indent, !simple_key, true);
        put("'");
        break;
      case Style::Double: double_quoted(s, indent, !simple_key); break;
      case Style::Literal: literal(s, indent); return;  // ends its own last line
    }
    if (!simple_key) line_break();
  }

  void scalar(const Json& v, int indent) {
    if (v.is_string()) {
      string_scalar(v.get_ref<const std::string&>(), indent, false);
      return;
    }
    if (v.is_object()) put("{}");
    else if (v.is_array()) put("[]");
    else if (v.is_null()) put("null");
    else put(v.dump());
    line_break();
  }

  // Keys at `indent`; the first one's line is already started when `first_inline` (a "- ").
  void mapping(const Json& obj, int indent, bool first_inline) {
    std::vector<std::string> keys;
    for (auto it = obj.begin(); it != obj.end(); ++it) keys.push_back(it.key());
    std::stable_sort(keys.begin(), keys.end(), go_yaml_key_less);
    bool first = true;
    for (const auto& key : keys) {
      if (!(first && first_inline)) pad_to(indent);
      first = false;
      string_scalar(key, indent + 2, true);
      put(":");
      const Json& v = obj.at(key);
      if (v.is_object() && !v.empty()) {
        line_break();
        mapping(v, indent + 2, false);
      } else if (v.is_array() && !v.empty()) {
        line_break();
        sequence(v, indent);  // block sequences in a mapping are not indented
      } else {
        put(" ");
        scalar(v, indent + 2);
      }
    }
  }

  void sequence(const Json& arr, int indent) {
    for (const auto& item : arr) {
      pad_to(indent);
      put("- ");
      if (item.is_object() && !item.empty()) mapping(item, indent + 2, true);
      else if (item.is_array() && !item.empty()) sequence(item, indent + 2);
      else scalar(item, indent + 2);
    }
  }
};

}  // namespace

std::string to_yaml(const Json& value) {
  Emitter e;
  if (value.is_object() && !value.empty()) e.mapping(value, 0, false);
  else if (value.is_array() && !value.empty()) e.sequence(value, 0);
  else e.scalar(value, 0);
  return e.out;
}

}  // namespace kvsim::models
