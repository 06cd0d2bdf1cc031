// OAuth2 access tokens in `Authorization: Bearer`: JWTs verified with their key manager's keys,
// opaque tokens introspected (the built-in key manager's resolved in memory). A token this worker
// has validated before is answered from the token cache at once, with no allocation; only a miss
// that needs I/O waits.
#include <algorithm>

#include "http/message.h"
#include "policies/auth/authenticator.h"
#include "policies/auth/authenticators/revocation_check.h"
#include "security/auth/bearer_validator.h"
#include "security/auth/certificate_binding.h"
#include "security/jose/sha256.h"

namespace gatehouse::policies {
namespace {

namespace asio = boost::asio;
using security::AuthFailure;

class OAuth2Bearer final : public Authenticator {
 public:
  explicit OAuth2Bearer(const AuthSettings& settings)
      : state_(settings.state), revocations_(settings.revocations) {
    const std::vector<std::string>& accepted = settings.api->security->key_managers;
    for (const auto& key_manager : state_->key_managers()) {
      if (!accepted.empty() && std::ranges::find(accepted, key_manager->name()) == accepted.end()) {
        continue;
      }
      accepted_.push_back(key_manager.get());
      if (!key_manager->introspects()) continue;
      // The process's own key manager first: it answers from memory, the others over HTTP.
      const auto at =
          key_manager->config().resident ? introspectors_.begin() : introspectors_.end();
      introspectors_.insert(at, key_manager.get());
    }
  }

  config::Scheme scheme() const override { return config::Scheme::oauth2; }

  Authentication authenticate(const pipeline::Exchange& exchange,
                              PendingCheck& pending) const override {
    const http::Header* authorization =
        http::find_header(exchange.request->headers, "Authorization");
    if (!authorization) return Authentication::absent();
    const std::optional<std::string_view> token =
        http::after_scheme(authorization->value, "Bearer");
    if (!token) return Authentication::absent();
    if (token->empty()) {
      return Authentication::refused(AuthFailure::invalid_credentials, "the Bearer token is empty");
    }
    const security::TokenDigest digest = jose::sha256(*token);
    if (security::PrincipalPtr principal =
            state_->token_cache().find(digest, security::TokenCache::Clock::now())) {
      return accepted(exchange, digest, std::move(principal), *token);
    }
    pending = {*token, digest};
    return Authentication::wait();
  }

  asio::awaitable<Authentication> authenticate_async(const pipeline::Exchange& exchange,
                                                     const PendingCheck& pending) const override {
    auto principal = co_await security::validate_bearer(*state_, pending.credential, pending.digest,
                                                        introspectors_);
    if (!principal) {
      co_return Authentication::refused(principal.error().failure,
                                        std::move(principal.error().reason));
    }
    co_return accepted(exchange, pending.digest, std::move(*principal), pending.credential);
  }

  std::string expected_credential() const override {
    return "'Authorization: Bearer ACCESS_TOKEN'";
  }
  std::string_view challenge_scheme() const override { return "Bearer"; }

 private:
  // A valid token, unless it was revoked, its key manager is not one this API accepts, or it is
  // bound to a client certificate that the connection does not present. The binding is checked
  // here, on every request, because a cached token may come back on another connection.
  Authentication accepted(const pipeline::Exchange& exchange, const security::TokenDigest& digest,
                          security::PrincipalPtr principal, std::string_view token) const {
    if (auto refusal = security::certificate_binding_refusal(
            *principal, exchange.tls ? std::string_view(exchange.tls->certificate_der) : "")) {
      return Authentication::refused(refusal->failure, std::move(refusal->reason));
    }
    Authentication result = unless_revoked(revocations_.get(), digest, std::move(principal), token);
    if (result.outcome == Authentication::Outcome::authenticated &&
        !accepts(result.principal->key_manager)) {
      return Authentication::refused(AuthFailure::invalid_credentials,
                                     "tokens of key manager '" + result.principal->key_manager +
                                         "' are not accepted by this API");
    }
    return result;
  }

  bool accepts(std::string_view key_manager) const {
    return std::ranges::any_of(
        accepted_, [&](const security::KeyManager* k) { return k->name() == key_manager; });
  }

  std::shared_ptr<const security::SecurityState> state_;
  std::shared_ptr<const security::Revocations> revocations_;  // null: none checked
  std::vector<const security::KeyManager*> accepted_;         // the API's key managers
  std::vector<const security::KeyManager*> introspectors_;    // those of them that introspect
};

}  // namespace

std::unique_ptr<const Authenticator> make_oauth2_bearer_authenticator(
    const AuthSettings& settings) {
  return std::make_unique<const OAuth2Bearer>(settings);
}

}  // namespace gatehouse::policies
