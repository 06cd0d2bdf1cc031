#include "policies/auth/authentication_step.h"

#include "policies/auth/refusal.h"

namespace gatehouse::policies {
namespace {

namespace asio = boost::asio;
using Outcome = Authentication::Outcome;
using security::AuthFailure;

struct AuthenticationState {
  const Authenticator* waiting = nullptr;  // the authenticator whose check needs I/O
  PendingCheck pending;
};

class AuthenticationStep final : public StatefulPolicy<AuthenticationState> {
 public:
  AuthenticationStep(const config::ApiSecurityConfig& security, Authenticators authenticators,
                     std::string_view challenge_scheme,
                     std::vector<std::unique_ptr<const Policy>> later_steps)
      : authenticators_(std::move(authenticators)),
        owned_steps_(std::move(later_steps)),
        challenge_scheme_(challenge_scheme),
        application_mandatory_(security.application_mandatory),
        mutual_tls_mandatory_(security.mutual_tls_mandatory) {
    missing_message_ = "Make sure your API invocation call has ";
    for (const auto& authenticator : authenticators_) {
      missing_message_ += authenticator->expected_credential() + ", ";
      if (authenticator->scheme() == config::Scheme::mutual_tls) {
        certificate_ = authenticator.get();
      } else {
        application_.push_back(authenticator.get());
      }
    }
    missing_message_.resize(missing_message_.size() - 2);
    for (const auto& step : owned_steps_) later_steps_.push_back(step.get());
  }

  Phase phase() const override { return Phase::authentication; }
  std::span<const Policy* const> later_steps() const override { return later_steps_; }

  Verdict on_request(Exchange& exchange) const override {
    AuthenticationState& request = state(exchange);
    Authentication certificate;
    if (certificate_) {
      certificate = certificate_->authenticate(exchange, request.pending);
      if (certificate.outcome == Outcome::refused) return refuse(exchange, certificate.error);
    }
    if (mutual_tls_mandatory_ && certificate.outcome != Outcome::authenticated) {
      return refuse(exchange, {AuthFailure::invalid_credentials,
                               "this API needs a trusted client certificate"});
    }
    for (const Authenticator* authenticator : application_) {
      Authentication found = authenticator->authenticate(exchange, request.pending);
      switch (found.outcome) {
        case Outcome::absent:
          continue;
        case Outcome::wait:
          request.waiting = authenticator;
          return Verdict::wait;
        case Outcome::authenticated:
        case Outcome::refused:
          return conclude(exchange, std::move(found));
      }
    }
    if (certificate.outcome == Outcome::authenticated && !application_mandatory_) {
      return conclude(exchange, std::move(certificate));
    }
    return refuse(exchange, {AuthFailure::missing_credentials, missing_message_});
  }

  asio::awaitable<Verdict> on_request_async(Exchange& exchange) const override {
    const AuthenticationState& request = state(exchange);
    // Not an argument of conclude(): g++ 12 miscompiles some co_awaits inside expressions.
    Authentication found = co_await request.waiting->authenticate_async(exchange, request.pending);
    co_return conclude(exchange, std::move(found));
  }

 private:
  Verdict conclude(Exchange& exchange, Authentication found) const {
    if (found.outcome != Outcome::authenticated) return refuse(exchange, found.error);
    // The one place a caller's application is looked up: in the store this exchange holds, so a
    // cached principal meets today's applications and subscriptions.
    exchange.caller = security::owner_of(*found.principal, *exchange.subscriptions);
    exchange.principal = std::move(found.principal);
    exchange.credential = found.credential;
    return Verdict::proceed;
  }

  Verdict refuse(Exchange& exchange, const security::AuthError& error) const {
    return policies::refuse(exchange, error, challenge_scheme_);
  }

  Authenticators authenticators_;
  const Authenticator* certificate_ = nullptr;     // mutual TLS, when the API lists it
  std::vector<const Authenticator*> application_;  // the others, in the registry's order
  std::vector<std::unique_ptr<const Policy>> owned_steps_;
  std::vector<const Policy*> later_steps_;
  std::string_view challenge_scheme_;
  std::string missing_message_;
  bool application_mandatory_;
  bool mutual_tls_mandatory_;
};

}  // namespace

std::unique_ptr<const Policy> make_authentication_step(
    const config::ApiSecurityConfig& security, Authenticators authenticators,
    std::string_view challenge_scheme, std::vector<std::unique_ptr<const Policy>> later_steps) {
  return std::make_unique<const AuthenticationStep>(security, std::move(authenticators),
                                                    challenge_scheme, std::move(later_steps));
}

}  // namespace gatehouse::policies
