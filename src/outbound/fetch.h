// A small HTTP/1.1 client for the control traffic of the security layer: fetching a JWKS or an
// OIDC discovery document, posting token introspection requests. Off the request path (results
// are cached), so it favours plainness: one new connection per request, "Connection: close", no
// redirects followed, the whole response buffered up to a limit.
//
//   auto tls = outbound::make_client_tls({.ca_file = ""});  // system trust store
//   outbound::Request request{.url = "https://idp.example/jwks"};
//   auto response = co_await outbound::fetch(request, *tls);
//   if (!response) log(response.error().describe());
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace gatehouse::outbound {

using Headers = std::vector<std::pair<std::string, std::string>>;

// What a request may take, connect to last byte, unless its caller bounds it otherwise.
inline constexpr std::chrono::milliseconds default_timeout{5000};

struct Request {
  std::string method = "GET";
  std::string url;  // absolute http or https URL
  // Sent as given. Host, Content-Length, Transfer-Encoding and Connection are set by fetch() and
  // refused here.
  Headers headers{};
  std::string body{};  // sent with Content-Length when not empty (or when the method is POST/PUT)
  std::chrono::milliseconds timeout = default_timeout;  // bounds the whole exchange
  size_t max_response_bytes = 1 << 20;  // body limit; the head has its own 64 KiB limit
};

struct Response {
  int status = 0;
  std::string content_type;  // empty when absent
  std::string body;          // de-chunked
  Headers headers;           // as received, in order

  // The first field named `name` (case-insensitive), empty when absent.
  std::string_view header(std::string_view name) const;
};

struct TlsSettings {
  std::string ca_file{};   // PEM bundle of trusted CAs; empty: the system trust store
  bool verify_tls = true;  // false: any certificate and host name are accepted (tests, labs)
};

// A client TLS context, made once (loading a trust store is not free) and shared by fetches.
struct ClientTls {
  std::shared_ptr<boost::asio::ssl::context> context;
  bool verify = true;
};
std::expected<ClientTls, std::string> make_client_tls(const TlsSettings& settings);

// Runs on the calling coroutine's executor. Any HTTP status is a Response; only failures to get
// one are errors. https URLs need `tls` (with a context); http URLs ignore it.
//
// An error's source is the peer, an identity provider (this client's only peers), with kind
// unreachable (no name, no connection), tls, timeout (the whole exchange), too_large or
// bad_response, its cause the peer's host and its underlying reason the system's or the
// parser's; a request that cannot be sent as given (not http/https, a bad header) is the
// gateway's own bad_request.
boost::asio::awaitable<std::expected<Response, Error>> fetch(const Request& request,
                                                             const ClientTls& tls);

// The body of a JSON document (a JWKS, a discovery document) that a GET of `url` got with status
// 200; otherwise why not, as "<url>: <reason>".
boost::asio::awaitable<std::expected<std::string, std::string>> get_json(
    const std::string& url, const ClientTls& tls, std::chrono::milliseconds timeout);

}  // namespace gatehouse::outbound
