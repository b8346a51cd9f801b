// Hand-written matchers for the apimachinery validation regexes. The messages are
// copied from k8s.io/apimachinery/pkg/util/validation so that `kvsim apply` rejects
// a manifest with the same words the real API server would use.
//
// Upstream returns a list of messages; these functions return one string, joining
// several messages with "; " (none of the messages contains that sequence, so a
// caller such as validate_selector can split them back into separate errors).
#include "models/names.hpp"

#include <string>
#include <vector>

namespace kvsim::models {
namespace {

constexpr std::size_t kLabelMaxLength = 63;      // DNS-1123 label, label value, name part
constexpr std::size_t kSubdomainMaxLength = 253;

const std::string kDns1123LabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const std::string kDns1123SubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// The double spaces after each example come from upstream's RegexError helper.
const std::string kQualifiedNameBody =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

std::string max_len_error(std::size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

// Only ASCII counts: the upstream regexes have no Unicode classes, and checking
// bytes keeps a UTF-8 letter from slipping through as "alphanumeric".
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matches_dns_label(std::string_view s) {
  if (s.empty() || !lower_alnum(s.front()) || !lower_alnum(s.back())) return false;
  for (char c : s) {
    if (!lower_alnum(c) && c != '-') return false;
  }
  return true;
}

// Labels joined by single dots, so "a..b", ".a" and "a.-b" are all refused even
// though every character on its own is allowed.
bool matches_dns_subdomain(std::string_view s) {
  while (true) {
    std::size_t dot = s.find('.');
    if (!matches_dns_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool matches_qualified_name(std::string_view s) {
  if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& msgs) {
  std::string out;
  for (const auto& m : msgs) {
    if (!out.empty()) out += "; ";
    out += m;
  }
  return out;
}

std::vector<std::string> subdomain_errors(std::string_view name) {
  std::vector<std::string> errs;
  if (name.size() > kSubdomainMaxLength) errs.push_back(max_len_error(kSubdomainMaxLength));
  if (!matches_dns_subdomain(name)) errs.push_back(kDns1123SubdomainMsg);
  return errs;
}

}  // namespace

std::string check_dns1123_subdomain(std::string_view name) { return join(subdomain_errors(name)); }

std::string check_dns1123_label(std::string_view name) {
  std::vector<std::string> errs;
  if (name.size() > kLabelMaxLength) errs.push_back(max_len_error(kLabelMaxLength));
  if (!matches_dns_label(name)) errs.push_back(kDns1123LabelMsg);
  return join(errs);
}

std::string check_label_key(std::string_view key) {
  std::vector<std::string> errs;
  std::string_view name = key;
  std::size_t slash = key.find('/');
  if (slash != std::string_view::npos) {
    if (key.find('/', slash + 1) != std::string_view::npos) {
      // Upstream gives up on the parts entirely when there is more than one '/'.
      return "a qualified name " + kQualifiedNameBody +
             " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    }
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part must be non-empty");
    } else {
      for (const auto& m : subdomain_errors(prefix)) errs.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    errs.push_back("name part must be non-empty");
  } else if (name.size() > kLabelMaxLength) {
    errs.push_back("name part " + max_len_error(kLabelMaxLength));
  }
  if (!matches_qualified_name(name)) errs.push_back("name part " + kQualifiedNameBody);
  return join(errs);
}

std::string check_label_value(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelMaxLength) errs.push_back(max_len_error(kLabelMaxLength));
  if (!value.empty() && !matches_qualified_name(value)) errs.push_back(kLabelValueMsg);
  return join(errs);
}

}  // namespace kvsim::models
