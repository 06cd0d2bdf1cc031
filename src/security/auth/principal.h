// Who is calling, as established by one of an API's security schemes. A principal made from a
// token is cached with that token (per worker) and shared by every request that presents it, so
// it holds only what the token says; what depends on the API called (the subscription) is decided
// per request and kept beside it in the Exchange.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/security_model.h"
#include "security/identity/subscription_store.h"
#include "security/tokens/api_key_verifier.h"

namespace gatehouse::security {

struct Principal {
  config::Scheme scheme = config::Scheme::oauth2;
  std::string subject;      // token `sub`, Basic Auth user, or client certificate subject
  std::string key_manager;  // the issuer's configured name; empty for basic_auth and mutual_tls
  std::string client_id;    // the consumer key the token names
  // The application the client id (or API key) belongs to, in the snapshot's store; null when
  // the scheme carries no application (Basic Auth, mutual TLS).
  const identity::StoredApplication* application = nullptr;
  identity::KeyType key_type = identity::KeyType::production;
  std::vector<std::string> scopes;
  std::string token_id;    // `jti`, for revocation
  int64_t expires_at = 0;  // seconds since the epoch; 0: no expiry (Basic Auth, mutual TLS)
  // The token's claims (or the introspection answer), for the backend JWT and later policies.
  std::shared_ptr<const boost::json::object> claims;
  // What an API key says beyond the above: its subscribed APIs and its IP and referrer limits.
  std::shared_ptr<const tokens::ApiKeyClaims> api_key;

  bool has_scope(std::string_view scope) const {
    for (const std::string& held : scopes) {
      if (held == scope) return true;
    }
    return false;
  }
};

using PrincipalPtr = std::shared_ptr<const Principal>;

}  // namespace gatehouse::security
