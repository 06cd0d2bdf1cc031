// API keys: JWTs signed with the gateway's own key (WSO2's layout), in the configured header or,
// failing that, the query parameter. Verified without I/O, so never waiting; a key seen before is
// found in the token cache.
#include "policies/auth/authenticator.h"
#include "policies/auth/authenticators/revocation_check.h"
#include "policies/auth/credentials.h"
#include "security/auth/bearer_validator.h"
#include "security/jose/sha256.h"
#include "security/tokens/api_key_verifier.h"

namespace gatehouse::policies {
namespace {

using security::AuthFailure;

class ApiKey final : public Authenticator {
 public:
  explicit ApiKey(const AuthSettings& settings)
      : state_(settings.state),
        revocations_(settings.revocations),
        header_(state_->config().api_keys.header),
        query_param_(state_->config().api_keys.query_param) {}

  config::Scheme scheme() const override { return config::Scheme::api_key; }

  Authentication authenticate(const pipeline::Exchange& exchange, PendingCheck&) const override {
    std::string_view key;
    if (const http::Header* header = http::find_header(exchange.request->headers, header_)) {
      key = header->value;
    } else if (auto parameter = auth::query_parameter(exchange.request->query, query_param_)) {
      key = *parameter;
    } else {
      return Authentication::absent();
    }
    const security::TokenDigest digest = jose::sha256(key);
    const auto now = security::TokenCache::Clock::now();
    security::PrincipalPtr principal = state_->token_cache().find(digest, now);
    if (!principal) {
      auto verified = state_->api_key_verifier()->verify(key, security::epoch_seconds());
      if (!verified) {
        return Authentication::refused(
            AuthFailure::invalid_credentials,
            "API key: " + std::string(jose::to_string(verified.error())));
      }
      principal = cached_principal(digest, std::move(*verified), now);
    }
    return unless_revoked(revocations_.get(), digest, std::move(principal), key);
  }

  std::string expected_credential() const override { return "an '" + header_ + "' header"; }

 private:
  // The caller a verified key stands for, kept in the token cache until the key expires.
  security::PrincipalPtr cached_principal(const security::TokenDigest& digest,
                                          tokens::ApiKeyClaims verified,
                                          security::TokenCache::Clock::time_point now) const {
    auto principal = std::make_shared<security::Principal>();
    principal->scheme = config::Scheme::api_key;
    principal->subject = verified.subject;
    principal->client_id = verified.application_id;
    principal->key_type = verified.key_type;
    principal->token_id = verified.jti;
    principal->expires_at = verified.expires_at;
    principal->claims = verified.claims;
    principal->api_key = std::make_shared<const tokens::ApiKeyClaims>(std::move(verified));
    state_->token_cache().insert(
        digest, principal,
        security::cache_expiry(principal->expires_at, security::epoch_seconds(), now), now);
    return principal;
  }

  std::shared_ptr<const security::SecurityState> state_;
  std::shared_ptr<const security::Revocations> revocations_;  // null: none checked
  std::string header_;                                        // e.g. "apikey"
  std::string query_param_;                                   // e.g. "apikey"
};

}  // namespace

std::unique_ptr<const Authenticator> make_api_key_authenticator(const AuthSettings& settings) {
  return std::make_unique<const ApiKey>(settings);
}

}  // namespace gatehouse::policies
