#include "keymanager/server/access_token.h"

#include "keymanager/server/random_token.h"
#include "security/jose/claims.h"
#include "security/jose/jws.h"
#include "security/jose/sign.h"
#include "security/jose/verify.h"

namespace gatehouse::keymanager {

boost::json::object access_token_payload(const AccessTokenClaims& claims, std::string_view jti) {
  boost::json::object payload{
      {"iss", claims.issuer},          {"sub", claims.subject},    {"aud", claims.audience},
      {"iat", claims.issued_at},       {"exp", claims.expires_at}, {"jti", jti},
      {"client_id", claims.client_id}, {"scope", claims.scope},
  };
  if (claims.actor != nullptr) payload["act"] = *claims.actor;
  if (!claims.certificate_thumbprint.empty()) {
    payload["cnf"] = boost::json::object{{"x5t#S256", claims.certificate_thumbprint}};
  }
  return payload;
}

std::expected<AccessToken, OAuthError> sign_access_token(const std::shared_ptr<const KeyRing>& ring,
                                                         const AccessTokenClaims& claims) {
  const KeyRing& keys = *ring;
  AccessToken issued{.token = {}, .jti = random_token(16), .expires_at = claims.expires_at};
  auto token = jose::sign_jwt(access_token_payload(claims, issued.jti), keys.signing_key(),
                              keys.alg(), keys.kid(), access_token_typ);
  if (!token) {
    return std::unexpected(
        OAuthError{OAuthErrorCode::server_error, "the access token could not be signed"});
  }
  issued.token = std::move(*token);
  return issued;
}

std::optional<boost::json::object> verify_access_token(const std::shared_ptr<const KeyRing>& ring,
                                                       std::string_view issuer,
                                                       std::string_view token, UnixSeconds now) {
  const KeyRing& keys = *ring;
  auto jws = jose::decode_jws(token);
  if (!jws || jws->typ() != access_token_typ || !jose::verify(*jws, keys.verification_keys())) {
    return std::nullopt;
  }
  const jose::ClaimRules rules{.issuer = std::string(issuer), .leeway_seconds = 0};
  if (!jose::check_claims(jws->payload(), rules, now)) return std::nullopt;
  return jws->payload();
}

}  // namespace gatehouse::keymanager
