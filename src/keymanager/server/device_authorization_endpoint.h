// POST /oauth2/device_authorization (RFC 8628 section 3.1): a device without a browser, or without
// a keyboard, asks to act for a user, who approves on another device. The client authenticates as
// at the token endpoint (a public client by its client_id) and must have the device_code grant;
// `scope` as at /oauth2/authorize (the client's scopes, and openid). The answer (section 3.2):
//   {"device_code", "user_code": "XXXX-XXXX", "verification_uri": "<base>/oauth2/device",
//    "verification_uri_complete": "...?user_code=XXXX-XXXX", "expires_in": 600, "interval"}
// Both codes are stored as hashes (the user code as normalised, user_code.h), pending until the
// user answers at the verification page (device_verification_endpoint.h); the client polls the
// token endpoint with the device code (device_code_grant.cpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string_view>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view device_code_grant_type =
    "urn:ietf:params:oauth:grant-type:device_code";
inline constexpr UnixSeconds device_code_lifetime = 600;

class DeviceAuthorizationEndpoint {
 public:
  explicit DeviceAuthorizationEndpoint(ServerContext& context) : context_(context) {}

  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
