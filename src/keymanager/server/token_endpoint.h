// POST /oauth2/token (RFC 6749 section 3.2): parses the form, authenticates the client, hands the
// request to the grant its grant_type names and answers
//   {"access_token", "token_type": "Bearer", "expires_in", "scope", "refresh_token"?, "id_token"?}
// or an error of section 5.2; always with Cache-Control: no-store.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class TokenEndpoint {
 public:
  explicit TokenEndpoint(ServerContext& context) : context_(context) {}

  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
