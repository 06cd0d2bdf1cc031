#include "keymanager/server/login_session.h"

#include <boost/url/parse.hpp>

#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view session_typ = "gatehouse-session+jwt";

// "<path of the endpoint base>/oauth2/", "https" or not.
struct CookieScope {
  std::string path;
  bool secure = false;
};

CookieScope cookie_scope(std::string_view endpoint_base) {
  const auto url = boost::urls::parse_absolute_uri(endpoint_base);
  if (!url) return CookieScope{"/oauth2/", false};
  std::string path(url->encoded_path());
  if (path.ends_with('/')) path.pop_back();
  return CookieScope{path + "/oauth2/", url->scheme_id() == boost::urls::scheme::https};
}

std::string_view trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::string session_cookie(const HmacSigner& signer, const LoginSession& session,
                           std::string_view endpoint_base, UnixSeconds now) {
  const std::string value =
      signer.sign({{"sub", session.subject}, {"auth_time", session.auth_time}}, session_typ,
                  now + session_lifetime);
  const CookieScope scope = cookie_scope(endpoint_base);
  std::string cookie = std::string(session_cookie_name) + "=" + value + "; Path=" + scope.path +
                       "; Max-Age=" + std::to_string(session_lifetime) + "; HttpOnly; SameSite=Lax";
  if (scope.secure) cookie += "; Secure";
  return cookie;
}

std::optional<LoginSession> read_session(const HmacSigner& signer,
                                         const std::vector<std::string_view>& cookie_fields,
                                         UnixSeconds now) {
  const auto value = cookie_value(cookie_fields, session_cookie_name);
  if (!value) return std::nullopt;
  const auto claims = signer.verify(*value, session_typ, now);
  if (!claims) return std::nullopt;
  const jose::Claims held(*claims);
  const auto auth_time = held.time_claim("auth_time");
  if (held.sub().empty() || !auth_time) return std::nullopt;
  return LoginSession{std::string(held.sub()), *auth_time};
}

std::optional<std::string_view> cookie_value(const std::vector<std::string_view>& cookie_fields,
                                             std::string_view name) {
  for (std::string_view field : cookie_fields) {
    while (!field.empty()) {
      const size_t end = field.find(';');
      const std::string_view pair = trimmed(field.substr(0, end));
      field = end == std::string_view::npos ? std::string_view() : field.substr(end + 1);
      const size_t equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
        return pair.substr(equals + 1);
      }
    }
  }
  return std::nullopt;
}

}  // namespace gatehouse::keymanager
