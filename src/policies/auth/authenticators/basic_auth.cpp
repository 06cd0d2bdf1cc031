// Basic Auth (RFC 7617) in `Authorization: Basic`, against the configured users' Argon2id or
// bcrypt hashes. A password this worker has verified before is found in its credential cache,
// so a user pays the hash's cost once per cache lifetime; nothing here waits.
#include "http/message.h"
#include "policies/auth/authenticator.h"
#include "policies/auth/credentials.h"
#include "security/identity/credential_cache.h"
#include "security/identity/user_store.h"

namespace gatehouse::policies {
namespace {

using security::AuthFailure;

class BasicAuth final : public Authenticator {
 public:
  explicit BasicAuth(const AuthSettings& settings) : state_(settings.state) {}

  config::Scheme scheme() const override { return config::Scheme::basic_auth; }

  Authentication authenticate(const pipeline::Exchange& exchange, PendingCheck&) const override {
    const http::Header* authorization =
        http::find_header(exchange.request->headers, "Authorization");
    if (!authorization) return Authentication::absent();
    const std::optional<std::string_view> encoded =
        http::after_scheme(authorization->value, "Basic");
    if (!encoded) return Authentication::absent();
    auto credentials = auth::decode_basic(*encoded);
    if (!credentials) {
      return Authentication::refused(AuthFailure::invalid_credentials,
                                     std::string(credentials.error()));
    }
    const identity::StoredUser* user =
        state_->credential_cache().verify(state_->users(), credentials->user, credentials->password,
                                          identity::CredentialCache::Clock::now());
    if (!user) {
      return Authentication::refused(AuthFailure::invalid_credentials,
                                     "wrong user name or password");
    }
    auto principal = std::make_shared<security::Principal>();
    principal->scheme = config::Scheme::basic_auth;
    principal->subject = user->name;
    principal->scopes = state_->scopes_of(user->roles);
    // The whole field, scheme name included, so that it cannot be taken for a token's credential.
    return Authentication::authenticated(std::move(principal), authorization->value);
  }

  std::string expected_credential() const override { return "'Authorization: Basic CREDENTIALS'"; }
  std::string_view challenge_scheme() const override { return "Basic"; }

 private:
  std::shared_ptr<const security::SecurityState> state_;
};

}  // namespace

std::unique_ptr<const Authenticator> make_basic_auth_authenticator(const AuthSettings& settings) {
  return std::make_unique<const BasicAuth>(settings);
}

}  // namespace gatehouse::policies
