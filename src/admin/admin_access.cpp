#include "admin/admin_access.h"

#include <arpa/inet.h>

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <chrono>

#include "admin/responses.h"
#include "http/message.h"
#include "security/jose/sha256.h"

namespace gatehouse::admin {
namespace {

namespace base64 = boost::beast::detail::base64;

constexpr std::string_view kRealm = "gatehouse-admin";
// Operators are few: a handful of cached passwords, re-verified every five minutes.
constexpr size_t kPasswordCacheEntries = 64;
constexpr auto kPasswordCacheTtl = std::chrono::minutes(5);

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The host of a Host header value without its port; nullopt when it is malformed.
std::optional<std::string> host_of(std::string_view value) {
  std::string_view host = value;
  std::string_view port;
  if (value.starts_with('[')) {
    const size_t close = value.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = value.substr(0, close + 1);
    const std::string_view rest = value.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
  } else if (const size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
  }
  const bool port_ok = port.size() <= 5 &&
                       std::ranges::all_of(port, [](char c) { return c >= '0' && c <= '9'; }) &&
                       (port.empty() || std::stoul(std::string(port)) <= 65535);
  const bool host_ok = !host.empty() && std::ranges::all_of(host, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._[]:").find(c) != std::string_view::npos;
  });
  if (!port_ok || !host_ok) return std::nullopt;
  std::string name = lower(host);
  if (name.size() > 1 && name.ends_with('.')) name.pop_back();  // the root label
  return name;
}

// An address literal: the browser was pointed at an address, not at a name an attacker's DNS
// could rebind. The unspecified addresses are no exception: browsers connect 0.0.0.0 to the
// local host, which lets a public page reach local services.
enum class Literal { none, specified, unspecified };

Literal literal_kind(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return v4.s_addr == 0 ? Literal::unspecified : Literal::specified;
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr v6{};
    const std::string inner = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, inner.c_str(), &v6) == 1) {
      return IN6_IS_ADDR_UNSPECIFIED(&v6) ? Literal::unspecified : Literal::specified;
    }
  }
  return Literal::none;
}

// `user:password` from Basic credentials; nullopt when they are not base64 of that.
std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view encoded) {
  if (encoded.empty() || encoded.size() % 4 != 0) return std::nullopt;
  std::string decoded(base64::decoded_size(encoded.size()), '\0');
  const auto [written, read] = base64::decode(decoded.data(), encoded.data(), encoded.size());
  // Beast's decoder stops at the padding and does not count it as read.
  const size_t padding =
      encoded.size() - std::min(encoded.size(), encoded.find_last_not_of('=') + 1);
  if (padding > 2 || read + padding != encoded.size()) return std::nullopt;
  decoded.resize(written);
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::pair{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

AdminResponse refusal(int status, std::string_view message, std::string description) {
  return error_response(ApiError{status, status, std::string(message), std::move(description)});
}

}  // namespace

std::expected<std::shared_ptr<AdminAccess>, std::string> AdminAccess::create(
    const config::AdminConfig& config) {
  auto users = identity::UserStore::build(config.auth.users);
  if (!users) return std::unexpected("admin users: " + users.error().front().message);
  return std::shared_ptr<AdminAccess>(new AdminAccess(config, std::move(*users)));
}

AdminAccess::AdminAccess(const config::AdminConfig& config, identity::UserStore users)
    : address_host_(lower(config.address.host)),
      hosts_(config.hosts),
      token_digests_(config.auth.token_digests),
      users_(std::move(users)),
      password_cache_(kPasswordCacheEntries, kPasswordCacheTtl),
      certificates_authenticate_(config.tls && config.tls->verifies_client_certificates()),
      authenticates_(config.authenticates()),
      open_paths_(config.auth.open_paths) {}

bool AdminAccess::names_this_listener(std::string_view name) const {
  const std::string host(name);
  switch (literal_kind(host)) {
    case Literal::specified:
      return true;
    case Literal::unspecified:
      return false;
    case Literal::none:
      break;
  }
  return host == "localhost" || host == address_host_ ||
         std::ranges::find(hosts_, host) != hosts_.end();
}

bool AdminAccess::authenticated(const AdminRequest& request) {
  if (request.client_certificate && certificates_authenticate_) return true;
  if (const auto token = http::after_scheme(request.authorization, "Bearer")) {
    return jose::sha256_listed(*token, token_digests_);
  }
  if (const auto encoded = http::after_scheme(request.authorization, "Basic")) {
    if (users_.size() == 0) return false;
    const auto credentials = basic_credentials(*encoded);
    return credentials &&
           password_cache_.verify(users_, credentials->first, credentials->second,
                                  identity::CredentialCache::Clock::now()) != nullptr;
  }
  return false;
}

AdminResponse AdminAccess::unauthenticated() const {
  if (token_digests_.empty() && users_.size() == 0) {
    return refusal(403, "Forbidden",
                   "the admin API needs a client certificate issued by its client CA");
  }
  AdminResponse response =
      refusal(401, "Unauthorized",
              "the admin API needs credentials: " +
                  std::string(token_digests_.empty() ? "" : "Authorization: Bearer <token>") +
                  (!token_digests_.empty() && users_.size() != 0 ? ", or " : "") +
                  (users_.size() == 0 ? "" : "Authorization: Basic (user and password)"));
  const std::string realm = " realm=\"" + std::string(kRealm) + "\"";
  if (!token_digests_.empty()) response.challenges.push_back("Bearer" + realm);
  if (users_.size() != 0) response.challenges.push_back("Basic" + realm + ", charset=\"UTF-8\"");
  return response;
}

std::optional<AdminResponse> AdminAccess::misdirected(const AdminRequest& request) const {
  if (!request.host) {
    if (request.version == 10) return std::nullopt;  // HTTP/1.0 had no Host
    return refusal(400, "Bad Request", "the request has no Host header");
  }
  const std::optional<std::string> host = host_of(*request.host);
  if (!host) return refusal(400, "Bad Request", "the Host header is not host[:port]");
  if (names_this_listener(*host)) return std::nullopt;
  return refusal(421, "Misdirected Request",
                 "this admin listener does not answer to the name '" + *host +
                     "'; call it by its address or localhost, or list the name in admin 'hosts'");
}

std::optional<AdminResponse> AdminAccess::refuse(const AdminRequest& request) {
  if (auto refused = misdirected(request)) return refused;
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  const bool open = std::ranges::find(open_paths_, path) != open_paths_.end();
  if (authenticates_ && !open && !authenticated(request)) return unauthenticated();
  if (!request.body.empty() && !http::has_media_type(request.content_type, "application/json")) {
    return refusal(415, "Unsupported Media Type",
                   "the admin API takes JSON bodies: send Content-Type: application/json");
  }
  return std::nullopt;
}

}  // namespace gatehouse::admin
