// Selector matching, validation and the `-l` syntax, following
// k8s.io/apimachinery (labels.Requirement, metav1 validation, labels.Parse) and
// k8s.io/kubernetes node selector validation for Gt/Lt, so error text and
// matching edge cases (NotIn on a missing key, Gt on a non-integer) agree with
// a real cluster.
#include "models/label_selector.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

#include "models/names.hpp"

namespace kvsim::models {
namespace {

std::optional<std::int64_t> parse_int(std::string_view s) {
  // strconv.ParseInt accepts a leading '+', from_chars does not.
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Go's %q, which field.Invalid uses to print the bad value.
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += {'\\', static_cast<char>(c)};
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    else out += static_cast<char>(c);
  }
  return out + "\"";
}

// names.hpp joins several upstream messages with "; "; the API server reports
// each one as its own field error, so split them back apart.
void add_invalid(std::vector<std::string>& errs, const std::string& field, std::string_view value,
                 const std::string& joined) {
  for (std::size_t pos = 0; pos < joined.size();) {
    std::size_t sep = std::min(joined.find("; ", pos), joined.size());
    errs.push_back(field + ": Invalid value: " + go_quote(value) + ": " + joined.substr(pos, sep - pos));
    pos = sep + 2;
  }
}

}  // namespace

bool requirement_matches(const LabelSelectorRequirement& r, const Labels& labels) {
  auto it = labels.find(r.key);
  const bool has = it != labels.end();
  auto listed = [&] { return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end(); };
  if (r.op == "In") return listed();
  if (r.op == "NotIn") return !listed();  // a missing key is "not in" any set
  if (r.op == "Exists") return has;
  if (r.op == "DoesNotExist") return !has;
  if (r.op == "Gt" || r.op == "Lt") {
    if (!has || r.values.size() != 1) return false;
    auto have = parse_int(it->second);
    auto want = parse_int(r.values[0]);
    if (!have || !want) return false;
    return r.op == "Gt" ? *have > *want : *have < *want;
  }
  return false;  // an unknown operator never matches rather than matching everything
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const auto& [k, v] : matchLabels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return std::all_of(matchExpressions.begin(), matchExpressions.end(),
                     [&](const auto& r) { return requirement_matches(r, labels); });
}

std::vector<std::string> validate_selector(const LabelSelector& s, std::string_view path,
                                           bool allow_gt_lt) {
  std::vector<std::string> errs;
  const std::string base(path);
  const std::string labels_path = base + ".matchLabels";
  for (const auto& [k, v] : s.matchLabels) {
    add_invalid(errs, labels_path, k, check_label_key(k));
    add_invalid(errs, labels_path, v, check_label_value(v));
  }
  for (std::size_t i = 0; i < s.matchExpressions.size(); ++i) {
    const auto& r = s.matchExpressions[i];
    const std::string p = base + ".matchExpressions[" + std::to_string(i) + "]";
    bool gt_lt = allow_gt_lt && (r.op == "Gt" || r.op == "Lt");
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty())
        errs.push_back(p + ".values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty())
        errs.push_back(p + ".values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (gt_lt) {
      // Upstream only counts the values; an unparsable integer would silently
      // never match, so we refuse it here with the same message.
      if (r.values.size() != 1 || !parse_int(r.values[0]))
        errs.push_back(p + ".values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
    } else {
      errs.push_back(p + ".operator: Invalid value: " + go_quote(r.op) + ": not a valid selector operator");
    }
    add_invalid(errs, p + ".key", r.key, check_label_key(r.key));
    if (gt_lt) continue;  // "-5" is a fine integer but not a label value
    for (std::size_t j = 0; j < r.values.size(); ++j) {
      add_invalid(errs, p + ".values[" + std::to_string(j) + "]", r.values[j], check_label_value(r.values[j]));
    }
  }
  return errs;
}

namespace {
// A tokenizer and recursive-descent parser for labels.Parse's grammar. Tokens are
// the specials "!", "!=", "=", "==", "(", ")", "," and identifiers (runs of
// anything else but whitespace). "in"/"notin" are keywords only where an operator
// is expected, so they still work as keys and values.
struct Token {
  enum Kind { End, Ident, Not, NotEq, Eq, Open, Close, Comma } kind = End;
  std::string text;
  std::size_t pos = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { advance(); }

  ParsedSelector run() {
    LabelSelector sel;
    if (tok_.kind == Token::End) return {sel, ""};  // "" is the everything-selector
    while (true) {
      if (!requirement(sel)) return {std::nullopt, error_};
      if (tok_.kind == Token::End) return {sel, ""};
      if (tok_.kind != Token::Comma) return {std::nullopt, unexpected("',' or end of string")};
      advance();
    }
  }

 private:
  static bool special(char c) { return c == '!' || c == '=' || c == '(' || c == ')' || c == ','; }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

  void advance() {
    while (pos_ < text_.size() && space(text_[pos_])) ++pos_;
    tok_ = Token{Token::End, "", pos_};
    if (pos_ >= text_.size()) return;
    char c = text_[pos_];
    char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    auto take = [&](Token::Kind k, std::size_t n) {
      tok_.kind = k;
      tok_.text = std::string(text_.substr(pos_, n));
      pos_ += n;
    };
    switch (c) {
      case '!': return next == '=' ? take(Token::NotEq, 2) : take(Token::Not, 1);
      case '=': return take(Token::Eq, next == '=' ? 2 : 1);  // "==" is a synonym
      case '(': return take(Token::Open, 1);
      case ')': return take(Token::Close, 1);
      case ',': return take(Token::Comma, 1);
      default: break;
    }
    std::size_t end = pos_;
    while (end < text_.size() && !space(text_[end]) && !special(text_[end])) ++end;
    take(Token::Ident, end - pos_);
  }

  std::string unexpected(const std::string& expected) {
    std::string found = tok_.kind == Token::End ? "end of string" : "'" + tok_.text + "'";
    return "found " + found + " at position " + std::to_string(tok_.pos) + ", expected: " + expected;
  }

  bool fail(std::string msg) {
    error_ = std::move(msg);
    return false;
  }

  bool check(const std::string& what, const std::string& value, std::size_t pos, const std::string& msg) {
    if (msg.empty()) return true;
    return fail("invalid " + what + " " + go_quote(value) + " at position " + std::to_string(pos) + ": " + msg);
  }

  // A value, or nothing when the next token is ',' or `end` (upstream treats the
  // missing value as the empty string).
  bool optional_value(std::string& out, Token::Kind end, const std::string& expected) {
    if (tok_.kind == Token::Comma || tok_.kind == end) return true;
    if (tok_.kind != Token::Ident) return fail(unexpected(expected));
    if (!check("label value", tok_.text, tok_.pos, check_label_value(tok_.text))) return false;
    out = tok_.text;
    advance();
    return true;
  }

  bool requirement(LabelSelector& sel) {
    bool negated = tok_.kind == Token::Not;
    if (negated) advance();
    if (tok_.kind != Token::Ident) return fail(unexpected(negated ? "identifier" : "'!' or identifier"));
    const std::string key = tok_.text;
    if (!check("label key", key, tok_.pos, check_label_key(key))) return false;
    advance();
    if (negated || tok_.kind == Token::End || tok_.kind == Token::Comma) {
      sel.matchExpressions.push_back({key, negated ? "DoesNotExist" : "Exists", {}});
      return true;  // a following "=" after "!key" is reported by run()
    }
    if (tok_.kind == Token::Eq || tok_.kind == Token::NotEq) {
      bool not_equal = tok_.kind == Token::NotEq;
      advance();
      std::string value;  // "a=" selects the empty value, as upstream
      if (!optional_value(value, Token::End, "value, ',' or end of string")) return false;
      if (not_equal) {
        sel.matchExpressions.push_back({key, "NotIn", {value}});
      } else if (auto [it, added] = sel.matchLabels.emplace(key, value); !added && it->second != value) {
        // "a=x,a=y" matches nothing; keep both rather than letting one win.
        sel.matchExpressions.push_back({key, "In", {value}});
      }
      return true;
    }
    if (tok_.kind != Token::Ident || (tok_.text != "in" && tok_.text != "notin")) {
      return fail(unexpected("'=', '==', '!=', 'in', 'notin', ',' or end of string"));
    }
    const std::string op = tok_.text == "in" ? "In" : "NotIn";
    advance();
    if (tok_.kind != Token::Open) return fail(unexpected("'('"));
    advance();
    std::vector<std::string> values;
    while (true) {
      // As upstream, a missing value is the empty one: "()" is {""}, "(a,)" is {a, ""}.
      // That keeps to_string's "k notin ()" for NotIn [""] parseable.
      std::string value;
      if (!optional_value(value, Token::Close, "value, ',' or ')'")) return false;
      if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
      if (tok_.kind == Token::Close) break;
      if (tok_.kind != Token::Comma) return fail(unexpected("',' or ')'"));
      advance();
    }
    advance();
    sel.matchExpressions.push_back({key, op, std::move(values)});
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Token tok_;
  std::string error_;
};

}  // namespace

ParsedSelector parse_selector(std::string_view text) { return Parser(text).run(); }

std::string to_string(const LabelSelector& s) {
  // labels.Selector.String(): requirements sorted by key, set values sorted.
  std::vector<std::pair<std::string, std::string>> parts;
  for (const auto& [k, v] : s.matchLabels) parts.emplace_back(k, k + "=" + v);
  for (const auto& r : s.matchExpressions) {
    std::vector<std::string> values = r.values;
    std::sort(values.begin(), values.end());
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
    if (r.op == "In") parts.emplace_back(r.key, r.key + " in (" + joined + ")");
    else if (r.op == "NotIn") parts.emplace_back(r.key, r.key + " notin (" + joined + ")");
    else if (r.op == "Exists") parts.emplace_back(r.key, r.key);
    else if (r.op == "DoesNotExist") parts.emplace_back(r.key, "!" + r.key);
    else if (r.op == "Gt") parts.emplace_back(r.key, r.key + ">" + joined);
    else if (r.op == "Lt") parts.emplace_back(r.key, r.key + "<" + joined);
    else return "<error>";  // metav1.FormatLabelSelector's answer for a bad operator
  }
  if (parts.empty()) return "<none>";  // kubectl describe's spelling of "everything"
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p.second;
  return out;
}

}  // namespace kvsim::models
