// Verifies the API keys of api_key_issuer.h, and those WSO2 API Manager 4.x issues in the same
// layout when they are signed by the gateway's key: the signature with the gateway key only (the
// header's kid chooses nothing; an alg other than the key's is refused), exp required (no leeway:
// the gateway issued the key with its own clock), token_type "apiKey". iss is not checked.
// Immutable; one verifier is shared by every worker.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "security/identity/ip_matcher.h"
#include "security/identity/records.h"
#include "security/identity/referrer_matcher.h"
#include "security/jose/error.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::tokens {

// What a verified API key says. The policy looks the application up in its snapshot's store and
// checks that the API called is among subscribed_apis.
struct ApiKeyClaims {
  std::string application_id;  // application.uuid; application.id when there is no uuid
  identity::KeyType key_type = identity::KeyType::production;
  std::string subject;  // sub: the application's owner
  std::string jti;
  int64_t expires_at = 0;
  std::vector<std::string> subscribed_apis;           // "Name:Version"
  identity::IpMatcher permitted_ips;                  // from permittedIP; empty restricts nothing
  identity::ReferrerMatcher permitted_referrers;      // from permittedReferer
  std::shared_ptr<const boost::json::object> claims;  // all of them, for the backend JWT

  bool subscribed_to(std::string_view name_version) const;
  bool allows_ip(std::string_view client_ip) const {
    return permitted_ips.empty() || permitted_ips.matches(client_ip);
  }
  bool allows_referrer(std::string_view referer) const {
    return permitted_referrers.empty() || permitted_referrers.matches(referer);
  }
};

class ApiKeyVerifier {
 public:
  explicit ApiKeyVerifier(GatewayKey key) : key_(std::move(key)) {}

  // Refusals: the JWS errors of decode_jws and verify_signature (key_type_mismatch or
  // key_alg_mismatch for an alg other than the gateway key's, bad_signature), missing_exp,
  // expired (now >= exp), bad_claim (a time that is not a number, token_type not "apiKey", a
  // keytype other than PRODUCTION or SANDBOX, a permittedIP or permittedReferer entry that does not
  // parse), malformed (application, keytype or subscribedAPIs missing or of the wrong shape).
  jose::Result<ApiKeyClaims> verify(std::string_view token, int64_t now) const;

  // WSO2 keys list every subscription: larger than an access token.
  static constexpr size_t max_api_key_bytes = 64 * 1024;

 private:
  GatewayKey key_;
};

}  // namespace gatehouse::tokens
