// The browser's login at the authorization endpoint, kept in a cookie so that the next
// authorization (of any client) skips the password: a value of the context's HmacSigner holding
// the user and when they logged in, valid for 8 hours or until the process restarts.
//   Set-Cookie: gatehouse_session=<value>; Path=<base>/oauth2/; Max-Age=28800; HttpOnly;
//               SameSite=Lax[; Secure when the endpoints are served over https]
// HttpOnly: no script reads it. SameSite=Lax: a cross-site POST, such as a forged consent form,
// arrives without it. The path keeps it off the APIs the gateway serves on the same host.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/hmac_signer.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view session_cookie_name = "gatehouse_session";
inline constexpr UnixSeconds session_lifetime = 8 * 3600;

struct LoginSession {
  std::string subject;
  UnixSeconds auth_time = 0;
};

// The Set-Cookie value for a session; `endpoint_base` is where the endpoints are served.
std::string session_cookie(const HmacSigner& signer, const LoginSession& session,
                           std::string_view endpoint_base, UnixSeconds now);

// The session of the request's cookies, when one of them holds a valid one.
std::optional<LoginSession> read_session(const HmacSigner& signer,
                                         const std::vector<std::string_view>& cookie_fields,
                                         UnixSeconds now);

// The value of the cookie `name` among Cookie header fields ("a=1; b=2"), nullopt when absent.
std::optional<std::string_view> cookie_value(const std::vector<std::string_view>& cookie_fields,
                                             std::string_view name);

}  // namespace gatehouse::keymanager
