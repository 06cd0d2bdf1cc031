#include "keymanager/server/token_issuance.h"

#include "keymanager/server/opaque_access_token.h"
#include "keymanager/server/random_token.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"

namespace gatehouse::keymanager {

namespace {

// What a grant answers when its family was revoked while it issued (its code or refresh token
// presented again meanwhile): the tokens it made are not handed out.
OAuthError family_revoked() {
  return OAuthError{OAuthErrorCode::invalid_grant,
                    "the grant was revoked while its tokens were issued"};
}

}  // namespace

AccessTokenClaims access_token_claims(const ServerContext& context, const Client& client,
                                      std::string_view subject, std::string_view scope,
                                      UnixSeconds now, UnixSeconds expires_at,
                                      std::string_view certificate_thumbprint) {
  return AccessTokenClaims{.issuer = context.settings().issuer,
                           .audience = context.audience(),
                           .subject = subject,
                           .client_id = client.client_id,
                           .scope = scope,
                           .issued_at = now,
                           .expires_at = expires_at,
                           .certificate_thumbprint = certificate_thumbprint};
}

boost::asio::awaitable<std::expected<AccessToken, OAuthError>> issue_access_token(
    ServerContext& context, const Client& client, const AccessTokenClaims& claims) {
  if (client.access_token_format == AccessTokenFormat::opaque) {
    co_return co_await issue_opaque_access_token(context, claims);
  }
  co_return sign_access_token(context.keys(), claims);
}

boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_access_only(
    ServerContext& context, const Client& client, std::string_view subject, std::string scope,
    UnixSeconds now, std::string_view certificate_thumbprint) {
  const AccessTokenClaims claims =
      access_token_claims(context, client, subject, scope, now,
                          now + client.access_token_lifetime.count(), certificate_thumbprint);
  auto access = co_await issue_access_token(context, client, claims);
  if (!access) co_return std::unexpected(std::move(access.error()));
  co_return IssuedTokens{.access_token = std::move(*access), .scope = std::move(scope)};
}

std::string new_family() {
  return random_token(16);
}

boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_in_family(
    ServerContext& context, const Client& client, FamilyGrant grant, UnixSeconds now,
    std::string_view certificate_thumbprint) {
  auto issued = co_await issue_access_only(context, client, grant.subject, grant.scope, now,
                                           certificate_thumbprint);
  if (!issued) co_return issued;
  auto recorded = co_await record_in_family(context, grant.family, issued->access_token);
  if (!recorded) co_return std::unexpected(std::move(recorded.error()));
  if (!client.may_use(refresh_token_grant_type)) co_return issued;
  NewRefreshToken refresh = new_refresh_token(client, std::move(grant), now);
  auto stored = co_await call_store(context.store(), [&refresh](GrantStore& store) {
    return store.put_refresh_token(refresh.record);
  });
  if (!stored) co_return std::unexpected(std::move(stored.error()));
  if (!*stored) co_return std::unexpected(family_revoked());
  issued->refresh_token = std::move(refresh.token);
  co_return issued;
}

boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_with_refresh_token(
    ServerContext& context, const Client& client, std::string subject, std::string scope,
    UnixSeconds now, std::string_view certificate_thumbprint) {
  if (!client.may_use(refresh_token_grant_type)) {
    co_return co_await issue_access_only(context, client, subject, std::move(scope), now,
                                         certificate_thumbprint);
  }
  // A named local: g++ 12 destroys an aggregate built inside a co_await expression twice.
  FamilyGrant grant{
      .family = new_family(), .subject = std::move(subject), .scope = std::move(scope)};
  co_return co_await issue_in_family(context, client, std::move(grant), now,
                                     certificate_thumbprint);
}

boost::asio::awaitable<std::expected<void, OAuthError>> record_in_family(ServerContext& context,
                                                                         std::string_view family,
                                                                         const AccessToken& token) {
  const FamilyAccessTokenRecord record{
      .family = std::string(family), .jti = token.jti, .expires_at = token.expires_at};
  auto recorded = co_await call_store(context.store(), [&record](GrantStore& store) {
    return store.put_family_access_token(record);
  });
  if (!recorded) co_return std::unexpected(std::move(recorded.error()));
  if (!*recorded) co_return std::unexpected(family_revoked());
  co_return std::expected<void, OAuthError>{};
}

NewRefreshToken new_refresh_token(const Client& client, FamilyGrant grant, UnixSeconds now) {
  std::string token = random_token();
  RefreshTokenRecord record{
      .token_hash = token_hash(token),
      .family = std::move(grant.family),
      .client_id = client.client_id,
      .subject = std::move(grant.subject),
      .scope = std::move(grant.scope),
      .context = std::move(grant.context),
      .issued_at = now,
      .expires_at = now + client.refresh_token_lifetime.count(),
      .used = false,
  };
  return NewRefreshToken{std::move(token), std::move(record)};
}

}  // namespace gatehouse::keymanager
