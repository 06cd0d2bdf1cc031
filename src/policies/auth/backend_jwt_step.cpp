#include "policies/auth/backend_jwt_step.h"

#include "security/auth/bearer_validator.h"
#include "security/jose/sha256.h"
#include "security/tokens/backend_jwt_builder.h"
#include "security/tokens/backend_jwt_cache.h"

namespace gatehouse::policies {
namespace {

class BackendJwtStep final : public Policy {
 public:
  explicit BackendJwtStep(const AuthSettings& settings)
      : state_(settings.state),
        config_(*settings.api->backend_jwt),
        api_name_(settings.api->name),
        api_version_(settings.api->version),
        api_context_(settings.api->context + "/" + settings.api->version),
        api_index_(settings.api_index) {}

  Phase phase() const override { return Phase::transformation; }

  Verdict on_request(Exchange& exchange) const override {
    const security::Principal& principal = *exchange.principal;
    const tokens::BackendJwtCache::Key key{jose::sha256(exchange.credential), api_index_,
                                           exchange.subscriptions->generation()};
    const int64_t now = security::epoch_seconds();
    tokens::BackendJwtCache& cache = state_->backend_jwt_cache();
    // Added, not set: a received field of that name never reaches the backend anyway
    // (snapshot/forwarding_rules.h).
    if (const std::string* jwt = cache.find(key, now)) {
      exchange.request_edits.add.emplace_back(config_.header, *jwt);
      return Verdict::proceed;
    }
    const identity::SubscriptionStore& store = *exchange.subscriptions;
    const identity::StoredApplication* application = exchange.caller.application;
    const tokens::ApiCall call{
        .name = api_name_,
        .version = api_version_,
        .context = api_context_,
        .subscription_tier = exchange.subscription ? store.tier_name(exchange.subscription->tier)
                                                   : std::string_view(),
        .application_tier = application ? store.tier_name(application->tier) : std::string_view()};
    const tokens::Caller caller{.subject = principal.subject,
                                .application = application,
                                .key_type = exchange.caller.type,
                                .expires_at = principal.expires_at,
                                .claims = principal.claims.get()};
    auto jwt = state_->backend_jwt_builder()->build(caller, call, config_, now);
    // Signing failed: the backend gets no JWT rather than the caller an error.
    if (!jwt) return Verdict::proceed;
    exchange.request_edits.add.emplace_back(config_.header, jwt->jwt);
    cache.put(key, std::move(*jwt), now);
    return Verdict::proceed;
  }

 private:
  std::shared_ptr<const security::SecurityState> state_;
  config::BackendJwtConfig config_;
  std::string api_name_;
  std::string api_version_;
  std::string api_context_;  // e.g. "/pizzashack/1.0.0"
  uint32_t api_index_;
};

}  // namespace

std::unique_ptr<const Policy> make_backend_jwt_step(const AuthSettings& settings) {
  return std::make_unique<const BackendJwtStep>(settings);
}

}  // namespace gatehouse::policies
