// urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523 section 2.1): the client presents a JWT
// in which a trusted issuer asserts who the user is (trusted_assertion.h), and gets an access
// token for that user. The client authenticates as for every grant; the scope is within the
// client's, all of it when none is asked. No refresh token: the issuer's next assertion is the
// way to a new token, so the issuer stays in control of the session.
#include <memory>

#include "keymanager/server/grant.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/token_issuance.h"
#include "keymanager/server/trusted_assertion.h"

namespace gatehouse::keymanager {

namespace {

class JwtBearerGrant final : public Grant {
 public:
  std::string_view type() const override { return "urn:ietf:params:oauth:grant-type:jwt-bearer"; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto assertion = request.form.get("assertion");
    if (!assertion) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_request, "assertion is required"});
    }
    // The scope first: a request that cannot succeed does not use up the assertion.
    auto scope = grant_scope(request.form.get("scope"), request.client.scopes);
    if (!scope) co_return std::unexpected(std::move(scope.error()));
    auto accepted =
        co_await accept_trusted_assertion(context, *assertion, request.now, TrustedJwtUse::once);
    if (!accepted) co_return std::unexpected(std::move(accepted.error()));
    co_return co_await issue_access_only(context, request.client, accepted->subject,
                                         std::move(*scope), request.now,
                                         request.certificate_thumbprint);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_jwt_bearer_grant() {
  return std::make_unique<JwtBearerGrant>();
}

}  // namespace gatehouse::keymanager
