// WSO2's "JWT generation to the backend": a JWT about the caller, signed by the gateway's key, that
// the gateway passes to the backend (config `backend_jwt`, header X-JWT-Assertion by default), so
// that the backend can trust who called without seeing the caller's credentials. Claims:
//
// Header {"alg", "typ": "JWT", "kid"} (API keys, signed by the same key, say "apikey+jwt").
//   iss, iat, sub (the caller's subject)
//   aud       the config's `audience`, when it gives one
//   exp       iat + ttl, but never after the caller's own expiry
//   http://wso2.org/claims/ subscriber, applicationid, applicationname, applicationtier, keytype
//             when the caller has an application (not with Basic Auth or mutual TLS);
//             apiname, apicontext, version; tier (the subscription's) when there is one;
//             enduser (the caller's subject)
//   and each claim that the config's `claims` names and the caller's token carries, under its
//   own name (the claims above win over a copied one of the same name).
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "config/security_model.h"
#include "security/identity/records.h"
#include "security/identity/subscription_store.h"
#include "security/jose/error.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::tokens {

inline constexpr std::string_view default_backend_jwt_issuer = "wso2.org/products/am";

// The caller, as the backend JWT describes it: views into what authentication established (the
// security::Principal of security/auth, the layer above, which this one does not know).
struct Caller {
  std::string_view subject;
  // Null when the scheme carries no application (Basic Auth, mutual TLS).
  const identity::StoredApplication* application = nullptr;
  identity::KeyType key_type = identity::KeyType::production;
  int64_t expires_at = 0;                       // seconds since the epoch; 0: no expiry
  const boost::json::object* claims = nullptr;  // the token's claims; null: none to copy
};

// The API called, as the backend JWT describes it.
struct ApiCall {
  std::string_view name;
  std::string_view version;
  std::string_view context;            // e.g. "/pizzashack/1.0.0"
  std::string_view subscription_tier;  // empty: no subscription (no application)
  // The application's tier name (the store holds it as an id: SubscriptionStore::tier_name);
  // empty without an application.
  std::string_view application_tier;
};

struct BackendJwt {
  std::string jwt;
  int64_t expires_at = 0;  // its exp
};

class BackendJwtBuilder {
 public:
  explicit BackendJwtBuilder(GatewayKey key,
                             std::string issuer = std::string(default_backend_jwt_issuer))
      : key_(std::move(key)), issuer_(std::move(issuer)) {}

  // Fails only when signing fails (crypto_failure).
  jose::Result<BackendJwt> build(const Caller& caller, const ApiCall& api,
                                 const config::BackendJwtConfig& config, int64_t now) const;

 private:
  GatewayKey key_;
  std::string issuer_;
};

}  // namespace gatehouse::tokens
