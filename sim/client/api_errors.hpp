#pragma once
// The error a Kubernetes client makes of a refused request, as client-go
// words it (rest/request.go transformResponse, apimachinery
// errors.NewGenericServerResponse): a metav1.Status body gives its message;
// anything else (a plain-text body) gives the generic sentence for the code,
// followed by "(VERB RESOURCE.GROUP NAME)". virtctl prints these after its own
// prefix ("Error starting VirtualMachine ..."). Pure.
#include <string>

namespace kvsim::sim::client {

struct RequestTarget {
  std::string verb;      // get, put, post ... (lower case in the message)
  std::string resource;  // virtualmachines.subresources.kubevirt.io, services ...
  std::string name;      // may be empty
};

// `content_type` and `body` as received; `code` >= 400.
std::string client_error_text(int code, const std::string& content_type, const std::string& body,
                              const RequestTarget& target);

// The generic sentence for a response that carried no Status.
std::string generic_server_error(int code, const std::string& server_message, const RequestTarget& target);

// Go's %q of a string (what client-go quotes a server's text with).
std::string go_quote(const std::string& s);

}  // namespace kvsim::sim::client
