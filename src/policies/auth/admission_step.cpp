#include "policies/auth/admission_step.h"

#include <algorithm>
#include <optional>

#include "policies/auth/refusal.h"
#include "security/identity/subscription_store.h"
#include "security/tokens/api_key_verifier.h"

namespace gatehouse::policies {
namespace {

using config::Scheme;
using security::AuthError;
using security::AuthFailure;

std::string_view referrer_of(const Exchange& exchange) {
  const http::Header* referer = http::find_header(exchange.request->headers, "Referer");
  return referer ? referer->value : std::string_view();
}

class AdmissionStep final : public Policy {
 public:
  AdmissionStep(const AuthSettings& settings, std::string_view challenge_scheme)
      : api_label_(settings.api->name + ":" + settings.api->version),
        api_id_(settings.api_id),
        scopes_(settings.resource ? settings.resource->scopes : std::vector<std::string>{}),
        has_sandbox_(settings.has_sandbox_endpoints),
        challenge_scheme_(challenge_scheme) {
    for (const std::string& scope : scopes_)
      scope_list_ += (scope_list_.empty() ? "" : ", ") + scope;
  }

  Phase phase() const override { return Phase::admission; }

  Verdict on_request(Exchange& exchange) const override {
    const security::Principal& principal = *exchange.principal;
    std::optional<AuthError> refused;
    if (principal.api_key) refused = check_api_key(exchange, *principal.api_key);
    if (!refused && (principal.scheme == Scheme::oauth2 || principal.scheme == Scheme::api_key)) {
      refused = check_subscription(exchange);
    }
    if (!refused) refused = check_scopes(principal);
    if (!refused) return Verdict::proceed;
    exchange.principal.reset();
    exchange.credential = {};
    exchange.caller = {};
    return refuse(exchange, *refused, challenge_scheme_);
  }

 private:
  std::optional<AuthError> check_api_key(const Exchange& exchange,
                                         const tokens::ApiKeyClaims& key) const {
    if (!key.subscribed_to(api_label_)) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the API key is not subscribed to " + api_label_};
    }
    if (!key.allows_ip(exchange.client_address)) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the API key does not allow requests from this address"};
    }
    if (!key.allows_referrer(referrer_of(exchange))) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the API key does not allow requests from this referrer"};
    }
    return std::nullopt;
  }

  // The one place a caller's subscription is looked up and set on the exchange.
  std::optional<AuthError> check_subscription(Exchange& exchange) const {
    const identity::StoredApplication* application = exchange.caller.application;
    if (!application) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the token's client is not a registered application"};
    }
    const identity::SubscriptionStore& subscriptions = *exchange.subscriptions;
    const identity::Admission admission =
        subscriptions.admit(application->index, api_id_, exchange.caller.type);
    switch (admission) {
      case identity::Admission::allowed:
        break;
      case identity::Admission::not_subscribed:
        return AuthError{AuthFailure::resource_forbidden,
                         "the application is not subscribed to " + api_label_};
      case identity::Admission::blocked:
        return AuthError{AuthFailure::api_blocked,
                         "the subscription to " + api_label_ + " is blocked"};
      case identity::Admission::inactive:
        return AuthError{AuthFailure::subscription_inactive,
                         "the subscription to " + api_label_ + " is not active"};
    }
    if (exchange.caller.type == identity::KeyType::sandbox && !has_sandbox_) {
      return AuthError{AuthFailure::wrong_token_type,
                       "a sandbox key, and " + api_label_ + " has no sandbox endpoints"};
    }
    if (!application->allows_ip(exchange.client_address)) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the application does not allow requests from this address"};
    }
    if (!application->allows_referrer(referrer_of(exchange))) {
      return AuthError{AuthFailure::resource_forbidden,
                       "the application does not allow requests from this referrer"};
    }
    exchange.subscription = subscriptions.find_subscription(application->index, api_id_);
    return std::nullopt;
  }

  std::optional<AuthError> check_scopes(const security::Principal& principal) const {
    if (scopes_.empty() || std::ranges::any_of(scopes_, [&](const std::string& s) {
          return principal.has_scope(s);
        })) {
      return std::nullopt;
    }
    return AuthError{AuthFailure::scope_not_allowed,
                     "the resource needs one of the scopes: " + scope_list_};
  }

  std::string api_label_;  // "Name:Version", as subscriptions and API keys name the API
  identity::ApiId api_id_;
  std::vector<std::string> scopes_;  // any one of them admits; none: no scope needed
  std::string scope_list_;           // for the 900910 message
  bool has_sandbox_;
  std::string_view challenge_scheme_;
};

}  // namespace

std::unique_ptr<const Policy> make_admission_step(const AuthSettings& settings,
                                                  std::string_view challenge_scheme) {
  return std::make_unique<const AdmissionStep>(settings, challenge_scheme);
}

}  // namespace gatehouse::policies
