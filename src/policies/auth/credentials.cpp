#include "policies/auth/credentials.h"

#include <boost/beast/core/detail/base64.hpp>

namespace gatehouse::policies::auth {
namespace {

namespace base64 = boost::beast::detail::base64;

// `Bearer xyz` → "xyz" when the scheme matches (case-insensitive, RFC 9110 11.1).
std::optional<std::string_view> after_scheme(std::string_view value, std::string_view scheme) {
  if (value.size() <= scheme.size() || !http::iequals(value.substr(0, scheme.size()), scheme) ||
      value[scheme.size()] != ' ') {
    return std::nullopt;
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

Credentials malformed(std::string_view problem) {
  return Credentials{.kind = CredentialKind::malformed, .problem = problem};
}

Credentials basic(std::string_view encoded) {
  // Room for a last group without padding: decoded_size() assumes whole groups of four, and
  // decode() runs before the length is checked.
  std::string decoded((encoded.size() + 3) / 4 * 3, '\0');
  const auto [written, read] = base64::decode(decoded.data(), encoded.data(), encoded.size());
  // Beast's decoder stops at the padding and does not count it as read.
  size_t padding = 0;
  while (padding < 2 && encoded.size() > padding && encoded[encoded.size() - 1 - padding] == '=') {
    ++padding;
  }
  if (read + padding != encoded.size() || encoded.size() % 4 != 0 || encoded.empty()) {
    return malformed("Basic credentials are not base64");
  }
  decoded.resize(written);
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return malformed("Basic credentials have no ':'");
  return Credentials{.kind = CredentialKind::basic,
                     .user = decoded.substr(0, colon),
                     .password = decoded.substr(colon + 1)};
}

// The value of `name` in a query string, as sent (API keys are base64url: no decoding needed).
std::optional<std::string_view> query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    query.remove_prefix(std::min(end + 1, query.size()));
  }
  return std::nullopt;
}

}  // namespace

Credentials find_credentials(const http::RequestHead& request, const CredentialSources& sources) {
  if (const http::Header* authorization = http::find_header(request.headers, "Authorization")) {
    if (sources.bearer) {
      if (auto token = after_scheme(authorization->value, "Bearer")) {
        if (token->empty()) return malformed("the Bearer token is empty");
        return Credentials{.kind = CredentialKind::bearer, .token = *token};
      }
    }
    if (sources.basic) {
      if (auto encoded = after_scheme(authorization->value, "Basic")) return basic(*encoded);
    }
  }
  if (sources.api_key) {
    if (const http::Header* key = http::find_header(request.headers, sources.api_key_header)) {
      return Credentials{.kind = CredentialKind::api_key, .token = key->value};
    }
    if (auto key = query_parameter(request.query, sources.api_key_query_param)) {
      return Credentials{.kind = CredentialKind::api_key, .token = *key};
    }
  }
  return Credentials{};
}

}  // namespace gatehouse::policies::auth
