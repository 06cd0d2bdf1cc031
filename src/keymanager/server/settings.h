// What the key manager is configured with. Plain data: a later step fills it from the config file
// (and the admin listener's clients); nothing here is checked until ServerContext is built.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keymanager/server/client.h"
#include "keymanager/server/fetched_keys.h"
#include "security/identity/user_store.h"
#include "security/jose/alg.h"
#include "security/jose/jwk.h"

namespace gatehouse::keymanager {

// An issuer whose JWTs the key manager takes as a user's identity: the assertion of the JWT
// bearer grant (RFC 7523 section 2.1) and the subject or actor token of a token exchange.
struct TrustedIssuer {
  std::string issuer;  // the JWT's iss, exactly
  jose::KeySet keys;   // public keys that sign its JWTs, as written
  // Its jwks_uri's keys, in place of `keys`; null when they are written.
  std::shared_ptr<FetchedKeys> fetched;
  std::string audience;  // what its JWTs' aud must contain; empty: the key manager's issuer
  std::string subject_claim = "sub";  // the claim naming the user
  // How far ahead its JWTs' exp may be. An identity provider's assertions and short-lived tokens
  // fit the default; a day-long token needs more, written for its issuer.
  std::chrono::seconds max_token_lifetime = std::chrono::hours(1);
};

// Who may register a client at /oauth2/register (RFC 7591), and what such a client may ask for.
struct RegistrationPolicy {
  std::vector<std::string> initial_token_digests;  // SHA-256 (32 bytes) of each initial token
  bool open = false;  // anyone may register, without an initial access token
  std::vector<std::string> grant_types;
  std::vector<std::string> scopes;
};

struct Settings {
  // The `iss` of every token, and the base of the discovery document's URLs.
  std::string issuer;
  // Where the endpoints are served ("<endpoint_base>/oauth2/token"...); empty: the issuer. Differs
  // from the issuer when a proxy in front of the gateway adds a path.
  std::string endpoint_base;
  // The `aud` of access tokens (RFC 9068 requires one); empty: the issuer, which is the
  // audience the gateway's own key manager settings expect when they name none.
  std::string audience;
  // Named in the WWW-Authenticate challenge of an invalid_client answer.
  std::string realm = "gatehouse";
  // Of the keys it generates, when the store has none and at each rotation: RS256 or ES256.
  jose::Alg signing_alg = jose::Alg::RS256;
  // How long a signing key signs before a new one replaces it; nullopt: until rotated by hand.
  std::optional<std::chrono::seconds> signing_key_rotation;
  std::vector<Client> clients;
  // The lifetimes of a registered client's tokens (application_keys.h) when it names none.
  std::chrono::seconds access_token_lifetime{3600};
  std::chrono::seconds refresh_token_lifetime{86400};
  // The interval a device authorization (RFC 8628) asks its client to keep between polls.
  std::chrono::seconds device_code_interval{5};
  std::vector<TrustedIssuer> trusted_issuers;
  // Dynamic client registration; nullopt: /oauth2/register is not served.
  std::optional<RegistrationPolicy> registration;
  // The resource owners of the password grant; nullptr: that grant refuses every user.
  const identity::UserStore* users = nullptr;
};

}  // namespace gatehouse::keymanager
