#pragma once
// Name and label syntax rules of the Kubernetes API server
// (k8s.io/apimachinery/pkg/util/validation). Each function returns an empty
// string when valid, else the upstream-style message for that value.
#include <string>
#include <string_view>

namespace kvsim::models {

// DNS-1123 subdomain: <= 253 chars, lowercase alphanumerics, '-' or '.', starting
// and ending with an alphanumeric. Most object names (Pod, VM, VMI, ...).
// Message: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric
// characters, '-' or '.', and must start and end with an alphanumeric character
// (e.g. 'example.com', regex used for validation is
// '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
std::string check_dns1123_subdomain(std::string_view name);

// DNS-1123 label: <= 63 chars, lowercase alphanumerics or '-', alphanumeric at
// both ends. Namespaces, Services, container and port names.
std::string check_dns1123_label(std::string_view name);

// Qualified label key: optional DNS-1123 subdomain prefix + '/', then a name of
// <= 63 chars of alphanumerics, '-', '_', '.', alphanumeric at both ends.
std::string check_label_key(std::string_view key);

// Label value: empty, or <= 63 chars of alphanumerics, '-', '_', '.', alphanumeric
// at both ends.
std::string check_label_value(std::string_view value);

}  // namespace kvsim::models
