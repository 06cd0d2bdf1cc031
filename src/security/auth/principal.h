// Who is calling, as established by one of an API's security schemes. A principal made from a
// token is cached with that token (per worker, across reloads) and shared by every request that
// presents it, so it holds only what the token says. Its application, and what depends on the API
// called (the subscription), are looked up per request in the worker's current store
// (owner_of) and kept beside it in the Exchange: a change of applications or subscriptions
// applies to the next request, cached token or not.
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
  std::string client_id;    // the consumer key the token names; an API key's application id
  identity::KeyType key_type = identity::KeyType::production;  // an API key's; see owner_of
  std::vector<std::string> scopes;
  std::string token_id;    // `jti`, for revocation
  int64_t expires_at = 0;  // seconds since the epoch; 0: no expiry (Basic Auth, mutual TLS)
  // The SHA-256 (32 bytes) of the client certificate the token is bound to (`cnf.x5t#S256`,
  // RFC 8705 section 3); empty: a plain bearer token (certificate_binding.h).
  std::string certificate_sha256;
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

// The application in `store` that the principal's credential belongs to, and the type of key it
// called with: for a token, the application owning its client id at its key manager; for an API
// key, the application it names. No application for Basic Auth, mutual TLS, or a client id no
// application owns. One hash probe, no allocation.
identity::KeyOwner owner_of(const Principal& principal, const identity::SubscriptionStore& store);

}  // namespace gatehouse::security
