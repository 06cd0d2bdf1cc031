// client_credentials (RFC 6749 section 4.4): the client acts on its own behalf, so the token's
// subject is its client id. Confidential clients only (section 4.4), and no refresh token: the
// client can always authenticate again (section 4.4.3).
#include <memory>

#include "keymanager/server/grant.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

class ClientCredentialsGrant final : public Grant {
 public:
  std::string_view type() const override { return "client_credentials"; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    if (request.client.public_client) {
      co_return std::unexpected(OAuthError{OAuthErrorCode::unauthorized_client,
                                           "a public client cannot use client_credentials"});
    }
    auto scope = grant_scope(request.form.get("scope"), request.client.scopes);
    if (!scope) co_return std::unexpected(std::move(scope.error()));
    co_return co_await issue_access_only(context, request.client, request.client.client_id,
                                         std::move(*scope), request.now,
                                         request.certificate_thumbprint);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_client_credentials_grant() {
  return std::make_unique<ClientCredentialsGrant>();
}

}  // namespace gatehouse::keymanager
