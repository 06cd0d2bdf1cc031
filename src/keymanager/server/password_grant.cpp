// password, the resource owner's credentials (RFC 6749 section 4.3), checked against the user
// store. The token's subject is the user name; a refresh token comes with it when the client may
// use the refresh_token grant.
//
// The password's verification (Argon2id or bcrypt) takes milliseconds on the calling thread: the
// grant is meant for first-party clients during a migration, not for high rates. Guessing is
// slowed per user and per address (attempt_limits.h), as at the login page.
#include <memory>

#include "keymanager/server/attempt_limits.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

class PasswordGrant final : public Grant {
 public:
  std::string_view type() const override { return "password"; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto username = request.form.get("username");
    const auto password = request.form.get("password");
    if (!username || !password) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_request, "username and password are required"});
    }
    auto scope = grant_scope(request.form.get("scope"), request.client.scopes);
    if (!scope) co_return std::unexpected(std::move(scope.error()));
    const auto user = check_password(context, request.client_ip, username, password);
    if (!user && user.error() > 0) co_return std::unexpected(shut_out_error(user.error()));
    if (!user) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_grant, "the user name or password is wrong"});
    }
    co_return co_await issue_with_refresh_token(context, request.client, (*user)->name,
                                                std::move(*scope), request.now,
                                                request.certificate_thumbprint);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_password_grant() {
  return std::make_unique<PasswordGrant>();
}

}  // namespace gatehouse::keymanager
