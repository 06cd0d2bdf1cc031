// Access tokens: JWTs in the profile of RFC 9068, signed with the key ring's current key.
//   header  typ "at+jwt" (so that an ID token or another JWT of the same key is never taken for
//           one), alg, kid
//   claims  iss, sub (the user; the client id when no user is involved), aud, iat, exp, jti
//           (random, the handle of a revocation), client_id, scope (space-separated), and act
//           when a token exchange named an actor, cnf when bound to a client certificate
// The gateway's key manager validation reads `client_id` and `scope` by default
// (config::KeyManagerConfig), so a key manager entry for this issuer needs no claim mapping.
// An opaque access token (opaque_access_token.h) stands for the same claims, kept by the server.
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keymanager/server/key_ring.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

inline constexpr std::string_view access_token_typ = "at+jwt";

struct AccessTokenClaims {
  std::string_view issuer;
  std::string_view audience;
  std::string_view subject;
  std::string_view client_id;
  std::string_view scope;
  UnixSeconds issued_at = 0;
  UnixSeconds expires_at = 0;
  // RFC 8693 section 4.1: who acts for the subject ({"sub": ...}, prior actors nested in it), for
  // a token a token exchange issued with an actor; nullptr: no act claim.
  const boost::json::object* actor = nullptr;
  // RFC 8705 section 3.1: the x5t#S256 of the client certificate the token is bound to
  // (`cnf`); empty: a token not bound to any.
  std::string_view certificate_thumbprint;
};

struct AccessToken {
  std::string token;
  std::string jti;  // random, made here
  UnixSeconds expires_at = 0;
};

// The claims as the token carries them, with its `jti`.
boost::json::object access_token_payload(const AccessTokenClaims& claims, std::string_view jti);

// `ring`, here and below: ServerContext::keys(), held while signing or verifying as a rotation
// may swap it meanwhile.
// server_error only if signing fails (OpenSSL broken), which no request can cause.
std::expected<AccessToken, OAuthError> sign_access_token(const std::shared_ptr<const KeyRing>& ring,
                                                         const AccessTokenClaims& claims);

// The claims of an access token this key manager issued, still valid at `now`: signed by a key of
// the ring, typ at+jwt, iss ours, not expired (no leeway: the answer is about this server's own
// clock). nullopt for anything else, whatever the reason: introspection answers only
// active or not, and revocation ignores tokens it cannot have issued.
std::optional<boost::json::object> verify_access_token(const std::shared_ptr<const KeyRing>& ring,
                                                       std::string_view issuer,
                                                       std::string_view token, UnixSeconds now);

}  // namespace gatehouse::keymanager
