#include <catch2/catch.hpp>

#include <string>

#include "models/names.hpp"

using kvsim::models::check_dns1123_label;
using kvsim::models::check_dns1123_subdomain;
using kvsim::models::check_label_key;
using kvsim::models::check_label_value;

namespace {

const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const std::string kNameBody =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const std::string kValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

TEST_CASE("valid DNS-1123 labels pass") {
  for (const char* ok : {"a", "0", "my-name", "123-abc", "a-b-c", "abc123", "a--b"}) {
    INFO("name: " << ok);
    CHECK(check_dns1123_label(ok).empty());
  }
  CHECK(check_dns1123_label(std::string(63, 'a')).empty());
}

TEST_CASE("invalid DNS-1123 labels get the upstream message") {
  for (const char* bad : {"", "-a", "a-", "-", "My-Name", "a.b", "a_b", "a b", "caf\xC3\xA9"}) {
    INFO("name: '" << bad << "'");
    CHECK(check_dns1123_label(bad) == kLabelMsg);
  }
}

TEST_CASE("a DNS-1123 label longer than 63 characters is too long") {
  CHECK(check_dns1123_label(std::string(64, 'a')) == "must be no more than 63 characters");
  CHECK(check_dns1123_label(std::string(64, 'A')) == "must be no more than 63 characters; " + kLabelMsg);
}

TEST_CASE("valid DNS-1123 subdomains pass") {
  for (const char* ok : {"a", "example.com", "my-vm", "a.b.c", "0.1", "x-1.y-2", "virt-launcher-vm1-abcde"}) {
    INFO("name: " << ok);
    CHECK(check_dns1123_subdomain(ok).empty());
  }
  CHECK(check_dns1123_subdomain(std::string(253, 'a')).empty());
  CHECK(check_dns1123_subdomain(std::string(63, 'a') + "." + std::string(63, 'b')).empty());
}

TEST_CASE("invalid DNS-1123 subdomains get the upstream message") {
  for (const char* bad : {"", ".", ".a", "a.", "a..b", "a.-b", "a-.b", "-a", "a-", "Example.com", "a_b", "a/b"}) {
    INFO("name: '" << bad << "'");
    CHECK(check_dns1123_subdomain(bad) == kSubdomainMsg);
  }
}

TEST_CASE("a DNS-1123 subdomain longer than 253 characters is too long") {
  CHECK(check_dns1123_subdomain(std::string(254, 'a')) == "must be no more than 253 characters");
  CHECK(check_dns1123_subdomain(std::string(254, '-')) ==
        "must be no more than 253 characters; " + kSubdomainMsg);
}

TEST_CASE("valid label keys pass with or without a prefix") {
  for (const char* ok : {"app", "App", "my.name", "123-abc", "a_b", "kubevirt.io/domain", "example.com/MyName",
                         "node-role.kubernetes.io/control-plane", "a/b"}) {
    INFO("key: " << ok);
    CHECK(check_label_key(ok).empty());
  }
  CHECK(check_label_key(std::string(63, 'k')).empty());
  CHECK(check_label_key(std::string(253, 'p') + "/" + std::string(63, 'k')).empty());
}

TEST_CASE("a label key with a bad name part gets the name part message") {
  for (const char* bad : {"-app", "app-", "a b", "a:b", "example.com/-x", "_a"}) {
    INFO("key: '" << bad << "'");
    CHECK(check_label_key(bad) == "name part " + kNameBody);
  }
}

TEST_CASE("an empty label key or name part is reported as empty and malformed") {
  CHECK(check_label_key("") == "name part must be non-empty; name part " + kNameBody);
  CHECK(check_label_key("example.com/") == "name part must be non-empty; name part " + kNameBody);
}

TEST_CASE("a label key name part longer than 63 characters is too long") {
  CHECK(check_label_key(std::string(64, 'k')) == "name part must be no more than 63 characters");
  CHECK(check_label_key("example.com/" + std::string(64, 'k')) == "name part must be no more than 63 characters");
}

TEST_CASE("a label key prefix must be a DNS-1123 subdomain") {
  CHECK(check_label_key("Example.com/app") == "prefix part " + kSubdomainMsg);
  CHECK(check_label_key("a..b/app") == "prefix part " + kSubdomainMsg);
  CHECK(check_label_key("/app") == "prefix part must be non-empty");
  CHECK(check_label_key(std::string(254, 'p') + "/app") == "prefix part must be no more than 253 characters");
  CHECK(check_label_key("Bad_/-x") == "prefix part " + kSubdomainMsg + "; name part " + kNameBody);
}

TEST_CASE("a label key with more than one slash is not a qualified name") {
  CHECK(check_label_key("a/b/c") ==
        "a qualified name " + kNameBody +
            " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
}

TEST_CASE("valid label values pass, including the empty value") {
  for (const char* ok : {"", "a", "MyValue", "my_value", "12345", "v1.2.3", "a-b_c.d"}) {
    INFO("value: '" << ok << "'");
    CHECK(check_label_value(ok).empty());
  }
  CHECK(check_label_value(std::string(63, 'v')).empty());
}

TEST_CASE("invalid label values get the upstream message") {
  for (const char* bad : {"-a", "a-", "_a", "a.", ".", "a b", "a/b", "a:b", "a=b"}) {
    INFO("value: '" << bad << "'");
    CHECK(check_label_value(bad) == kValueMsg);
  }
}

TEST_CASE("a label value longer than 63 characters is too long") {
  CHECK(check_label_value(std::string(64, 'v')) == "must be no more than 63 characters");
  CHECK(check_label_value(std::string(64, '-')) == "must be no more than 63 characters; " + kValueMsg);
}
