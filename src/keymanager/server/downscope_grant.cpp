// urn:gatehouse:grant-type:downscope, the example of a custom grant: a client trades an access
// token it holds for one with a narrower scope, to hand to a less trusted part of itself (a
// browser, a plug-in) without lending its full rights. Like RFC 8693's token exchange, narrowed to
// what needs no policy: the same subject and client, a subset of the scope, and an expiry no later
// than the original's.
//
// Parameters: subject_token (an access token this key manager issued to the same client, still
// valid and not revoked, a JWT or an opaque one) and scope (required: a subset of the subject
// token's). The new token is of the client's format.
#include <memory>

#include <algorithm>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/token_issuance.h"
#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace {

class DownscopeGrant final : public Grant {
 public:
  std::string_view type() const override { return "urn:gatehouse:grant-type:downscope"; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto subject_token = request.form.get("subject_token");
    const auto requested = request.form.get("scope");
    if (!subject_token || !requested) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_request, "subject_token and scope are required"});
    }
    const auto claims = resolve_access_token(context, *subject_token, request.now);
    if (!claims || jose::Claims(*claims).string_claim("client_id") != request.client.client_id) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_grant, "the subject token is invalid"});
    }
    const jose::Claims held(*claims);
    auto scope = grant_scope(requested, split_scope(held.string_claim("scope")));
    if (!scope) co_return std::unexpected(std::move(scope.error()));
    const UnixSeconds expires_at =
        std::min(held.time_claim("exp").value_or(request.now),
                 request.now + request.client.access_token_lifetime.count());
    const AccessTokenClaims narrowed =
        access_token_claims(context, request.client, held.sub(), *scope, request.now, expires_at,
                            request.certificate_thumbprint);
    auto access = co_await issue_access_token(context, request.client, narrowed);
    if (!access) co_return std::unexpected(std::move(access.error()));
    co_return IssuedTokens{.access_token = std::move(*access), .scope = std::move(*scope)};
  }
};

}  // namespace

std::unique_ptr<const Grant> make_downscope_grant() {
  return std::make_unique<DownscopeGrant>();
}

}  // namespace gatehouse::keymanager
