// refresh_token (RFC 6749 section 6) with rotation: each use returns a new refresh token of the
// same family and marks the presented one used. Presenting a used one again means that two
// parties hold the family's tokens, one of them a thief (OAuth 2.0 Security BCP, section 4.14.2):
// the whole family is revoked (its refresh tokens, and the access tokens issued in it), and the
// legitimate client must start a new grant.
//
// The new refresh token keeps the family's scope (section 6: identical to the presented one's);
// a narrower scope asked for applies to the new access token alone. Its lifetime starts again
// from now. A family whose scope has openid gets a new ID token too (OpenID Connect Core section
// 12.2: the same subject and auth_time, no nonce).
#include <memory>

#include "keymanager/server/family_revocation.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

OAuthError invalid_grant(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_grant, std::move(description)};
}

boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> refuse_reuse(ServerContext& context,
                                                                             std::string family) {
  auto revoked = co_await revoke_family(context, std::move(family));
  if (!revoked) co_return std::unexpected(std::move(revoked.error()));
  co_return std::unexpected(
      invalid_grant("the refresh token was used before: its grant is revoked"));
}

class RefreshTokenGrant final : public Grant {
 public:
  std::string_view type() const override { return refresh_token_grant_type; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto presented = request.form.get("refresh_token");
    if (!presented) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_request, "refresh_token is required"});
    }
    const std::string hash = token_hash(*presented);
    auto found = co_await call_store(
        context.store(), [&hash](GrantStore& store) { return store.find_refresh_token(hash); });
    if (!found) co_return std::unexpected(std::move(found.error()));
    // Another client's token is as unknown to this one as a made-up token.
    if (!*found || (*found)->client_id != request.client.client_id) {
      co_return std::unexpected(invalid_grant("the refresh token is invalid"));
    }
    const RefreshTokenRecord& record = **found;
    if (record.used) co_return co_await refuse_reuse(context, record.family);
    if (record.expires_at <= request.now) {
      co_return std::unexpected(invalid_grant("the refresh token has expired"));
    }
    auto scope = grant_scope(request.form.get("scope"), split_scope(record.scope));
    if (!scope) co_return std::unexpected(std::move(scope.error()));

    NewRefreshToken next = new_refresh_token(request.client,
                                             FamilyGrant{.family = record.family,
                                                         .subject = record.subject,
                                                         .scope = record.scope,
                                                         .context = record.context},
                                             request.now);
    auto rotated = co_await call_store(context.store(), [&hash, &next](GrantStore& store) {
      return store.rotate_refresh_token(hash, next.record);
    });
    if (!rotated) co_return std::unexpected(std::move(rotated.error()));
    // Another request rotated it since the lookup: two uses of one token, as above.
    if (!*rotated) co_return co_await refuse_reuse(context, record.family);

    auto issued =
        co_await issue_access_only(context, request.client, record.subject, std::move(*scope),
                                   request.now, request.certificate_thumbprint);
    if (!issued) co_return issued;
    auto recorded = co_await record_in_family(context, record.family, issued->access_token);
    if (!recorded) co_return std::unexpected(std::move(recorded.error()));
    issued->refresh_token = std::move(next.token);
    const Login login{.subject = record.subject, .auth_time = auth_time_of(record.context)};
    co_return with_id_token(context, request.client, login, record.scope, std::move(*issued),
                            request.now);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_refresh_token_grant() {
  return std::make_unique<RefreshTokenGrant>();
}

}  // namespace gatehouse::keymanager
