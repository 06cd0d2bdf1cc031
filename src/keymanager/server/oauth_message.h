// What the key manager's endpoints read and answer, without HTTP: a later step serves them on the
// gateway's listeners and copies these fields to and from its own request and response, so the
// protocol is tested without sockets.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::keymanager {

// Views into the transport's request, which outlives the endpoint's handling of it.
struct OAuthRequest {
  std::string_view method;
  std::string_view path;  // without the query; the endpoint's, or one under it (registration)
  std::string_view content_type;
  std::string_view authorization;  // the Authorization header; empty when absent
  std::string_view body;
  std::string_view client_ip;
  std::string_view query;  // the target's query, without '?'; empty when none
  // Every Cookie header field: HTTP/2 may send each cookie in a field of its own (RFC 9113
  // section 8.2.3).
  std::vector<std::string_view> cookies;
  // The client certificate of the TLS connection that carried the request, as DER, and its
  // subject as RFC 2253 text; empty when there is none. The handshake proved the client holds its
  // key, which is all that self_signed_tls_client_auth and certificate-bound tokens need; whether
  // the listener's client CA verified it (the trust anchor of tls_client_auth) is told apart: an
  // optional_no_ca listener takes certificates no CA verified.
  std::string_view client_certificate;
  std::string_view client_certificate_subject;
  bool client_certificate_verified = false;
};

struct OAuthAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON answer that caches and proxies may keep (discovery, JWKS).
OAuthAnswer json_answer(int status, const boost::json::object& body);

// 405 with `Allow`, for a method the endpoint does not take.
OAuthAnswer method_not_allowed(std::string_view allow);

// A JSON answer that carries or concerns credentials (token, introspection, revocation): with
// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 section 5.1, RFC 7662 section 2.2).
OAuthAnswer no_store_answer(int status, const boost::json::object& body);

}  // namespace gatehouse::keymanager
