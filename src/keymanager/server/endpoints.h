// The key manager's endpoints by path, for a transport to serve: which paths are the key
// manager's, and the answer to a request on one of them. The paths are those of endpoint_paths.h,
// matched exactly (the transport gives the normalised path, without its query).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string_view>

#include "keymanager/server/authorization_endpoint.h"
#include "keymanager/server/device_authorization_endpoint.h"
#include "keymanager/server/device_verification_endpoint.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/oauth_message.h"
#include "keymanager/server/pushed_authorization_endpoint.h"
#include "keymanager/server/registration_endpoint.h"
#include "keymanager/server/revocation_endpoint.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/token_endpoint.h"
#include "keymanager/server/userinfo_endpoint.h"

namespace gatehouse::keymanager {

enum class EndpointId : uint8_t {
  token,
  introspection,
  revocation,
  jwks,
  discovery,
  authorization,
  device_authorization,
  device_verification,
  pushed_authorization,
  userinfo,
  registration
};

class Endpoints {
 public:
  explicit Endpoints(ServerContext& context)
      : context_(context),
        token_(context),
        introspection_(context),
        revocation_(context),
        authorization_(context),
        device_authorization_(context),
        device_verification_(context),
        pushed_authorization_(context),
        userinfo_(context),
        registration_(context) {}

  // The endpoint served at `path`; nullopt for any other path, which the transport routes on.
  static std::optional<EndpointId> find(std::string_view path);
  // Whether the endpoint reads a body (in a POST or PUT: a form, or registration's JSON), which
  // the transport reads whole first.
  static bool takes_body(EndpointId endpoint) {
    return endpoint != EndpointId::jwks && endpoint != EndpointId::discovery;
  }

  // What the endpoints serve from: clients, keys, settings (read by the admin listener's metrics).
  const ServerContext& context() const { return context_; }

  // The answer; a method the endpoint does not take is 405 with Allow.
  boost::asio::awaitable<OAuthAnswer> handle(EndpointId endpoint,
                                             const OAuthRequest& request) const;

 private:
  ServerContext& context_;
  TokenEndpoint token_;
  IntrospectionEndpoint introspection_;
  RevocationEndpoint revocation_;
  AuthorizationEndpoint authorization_;
  DeviceAuthorizationEndpoint device_authorization_;
  DeviceVerificationEndpoint device_verification_;
  PushedAuthorizationEndpoint pushed_authorization_;
  UserinfoEndpoint userinfo_;
  RegistrationEndpoint registration_;
};

}  // namespace gatehouse::keymanager
