// API keys in the layout WSO2 API Manager 4.x issues them: a JWT signed by the gateway's key,
// carrying the application, its subscriptions and the key's restrictions, so that the gateway
// admits a key without a lookup. Header {"alg", "typ": "apikey+jwt", "kid"}; claims:
//
//   iss               default_api_key_issuer (WSO2 writes its token endpoint; the verifier does
//                     not check iss: only the gateway's key can have signed the key)
//   aud               api_key_audience
//
// The gateway's key also signs the backend JWTs (backend_jwt_builder.h), whose header says
// "typ": "JWT" and which carry no token_type: the typ and aud tell a backend that checks either
// that an API key is not a backend JWT (WSO2 writes "typ": "JWT" and no aud; the verifier takes
// those keys too, and the backend JWT's own checks in docs/config.md refuse them).
//   sub               the application's owner (its id when it has no owner)
//   iat, exp          seconds; exp = iat + validity. Always present: where WSO2 allows a key that
//                     never expires (validity -1), a key here lives at most max_api_key_validity
//   jti               a random UUID, for revocation
//   keytype           "PRODUCTION" or "SANDBOX"
//   application       {"id", "uuid", "name", "tier", "owner"}; id and uuid are both the configured
//                     application id (WSO2's id is a database number, its uuid the stable id)
//   subscribedAPIs    [{"name", "version", "context", "publisher", "subscriptionTier"}]
//   tierInfo          {"<subscription tier>": {}} for each tier named; the quota itself is the
//                     throttling policy's, not the key's
//   permittedIP       comma-separated addresses and CIDRs; "" restricts nothing
//   permittedReferer  comma-separated referrer patterns; "" restricts nothing
//   token_type        "apiKey"
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "security/identity/records.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::tokens {

inline constexpr std::string_view default_api_key_issuer = "https://gatehouse/apikey";
inline constexpr std::string_view api_key_type = "apikey+jwt";  // the JWS header's typ
inline constexpr std::string_view api_key_audience = "urn:gatehouse:api-key";
inline constexpr std::chrono::seconds default_api_key_validity = std::chrono::days(365);
inline constexpr std::chrono::seconds max_api_key_validity = std::chrono::days(100 * 365);

struct ApiKeySubscription {
  std::string api;        // "Name:Version"
  std::string tier;       // the subscription's throttling tier
  std::string context;    // where the API is served, e.g. "/pizzashack/1.0.0"; may be empty
  std::string publisher;  // may be empty
};

struct ApiKeyOptions {
  identity::KeyType key_type = identity::KeyType::production;
  std::chrono::seconds validity = default_api_key_validity;  // 1 s to max_api_key_validity
  std::vector<std::string> permitted_ips;                    // as identity::IpMatcher takes them
  std::vector<std::string> permitted_referrers;  // as identity::ReferrerMatcher takes them
};

class ApiKeyIssuer {
 public:
  explicit ApiKeyIssuer(GatewayKey key, std::string issuer = std::string(default_api_key_issuer))
      : key_(std::move(key)), issuer_(std::move(issuer)) {}

  // The signed key, or a message saying what is wrong with the request (a validity out of range,
  // an API not written "Name:Version", an IP or referrer entry ApiKeyVerifier would refuse), so
  // that no key is issued that the gateway would not accept.
  std::expected<std::string, std::string> issue(const identity::Application& application,
                                                std::span<const ApiKeySubscription> subscriptions,
                                                const ApiKeyOptions& options, int64_t now) const;

 private:
  GatewayKey key_;
  std::string issuer_;
};

}  // namespace gatehouse::tokens
