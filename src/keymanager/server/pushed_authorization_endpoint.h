// POST /oauth2/par (RFC 9126): a client pushes its authorization request straight to the key
// manager, authenticated as at the token endpoint, instead of through the browser's URL. The
// parameters are checked as /oauth2/authorize checks them (read_authorization_request); an error
// is a JSON error answer here, never a redirect. A valid request is held (pushed_requests.h) and
// answered 201 {"request_uri": "urn:ietf:params:oauth:request_uri:...", "expires_in": 60}; the
// client then sends the browser to /oauth2/authorize?client_id=...&request_uri=... . When too many
// pushed requests are held: 503 temporarily_unavailable, with Retry-After.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class PushedAuthorizationEndpoint {
 public:
  explicit PushedAuthorizationEndpoint(ServerContext& context) : context_(context) {}

  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
