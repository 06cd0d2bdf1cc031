// Where the key manager's endpoints are served, under Settings::endpoint_base: named once, for the
// discovery document and for the transport that routes requests to them.
#pragma once

#include <string_view>

namespace gatehouse::keymanager::paths {

inline constexpr std::string_view token = "/oauth2/token";
inline constexpr std::string_view introspection = "/oauth2/introspect";
inline constexpr std::string_view revocation = "/oauth2/revoke";
inline constexpr std::string_view jwks = "/oauth2/jwks";
inline constexpr std::string_view authorization = "/oauth2/authorize";
inline constexpr std::string_view device_authorization = "/oauth2/device_authorization";
inline constexpr std::string_view device_verification = "/oauth2/device";
inline constexpr std::string_view pushed_authorization = "/oauth2/par";
inline constexpr std::string_view userinfo = "/oauth2/userinfo";
// And each registered client's registration at "/oauth2/register/{client_id}".
inline constexpr std::string_view registration = "/oauth2/register";
inline constexpr std::string_view openid_configuration = "/.well-known/openid-configuration";
inline constexpr std::string_view authorization_server_metadata =
    "/.well-known/oauth-authorization-server";

}  // namespace gatehouse::keymanager::paths
