// Why an outbound HTTP exchange failed: a kind the caller can act on (retry later, report a
// misconfiguration) and a message for the log.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::outbound {

enum class FetchErrorKind {
  bad_request,   // the URL or the request itself cannot be sent (not http/https, bad header)
  dns,           // the host name does not resolve
  connect,       // no connection (refused, unreachable)
  tls,           // handshake failed: untrusted certificate, wrong host name, protocol error
  timeout,       // the whole exchange did not finish within Request::timeout
  too_large,     // the response head or body exceeds its limit
  bad_response,  // not a valid HTTP/1.1 response, or the connection broke off
};

std::string_view to_string(FetchErrorKind kind);

struct FetchError {
  FetchErrorKind kind;
  std::string message;
};

}  // namespace gatehouse::outbound
