// A grant type of the token endpoint (RFC 6749 section 4 and its extensions). The endpoint has
// parsed the form, authenticated the client and checked that the client may use this grant type;
// a grant checks its own parameters, decides the subject and scope, and issues the tokens.
//
// A new grant is one file that defines a Grant and its factory, and that factory named in
// grant_registry.cpp (declared and listed). Grants are stateless and shared by every worker:
// exchange() is const and may run on many threads at once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "keymanager/server/access_token.h"
#include "keymanager/server/client.h"
#include "keymanager/server/form.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

class ServerContext;

struct GrantRequest {
  const Form& form;
  const Client& client;  // authenticated, and allowed this grant type
  UnixSeconds now;
  std::string_view client_ip;  // whose failed attempts a grant that checks a password counts
  // What the access tokens issued are bound to (RFC 8705 section 3): the x5t#S256 of the client's
  // certificate; empty: tokens bound to none.
  std::string_view certificate_thumbprint = {};
};

// What the token endpoint answers (RFC 6749 section 5.1).
struct IssuedTokens {
  AccessToken access_token;
  std::string scope;
  std::optional<std::string> refresh_token;
  std::optional<std::string> id_token;  // OpenID Connect, when the scope has openid
  // RFC 8693 section 2.2.1: what a token exchange issued.
  std::optional<std::string_view> issued_token_type;
};

class Grant {
 public:
  virtual ~Grant() = default;

  // The grant_type value it answers: "password", or an absolute URI for an extension grant.
  virtual std::string_view type() const = 0;

  virtual boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const = 0;
};

}  // namespace gatehouse::keymanager
