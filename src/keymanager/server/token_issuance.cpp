#include "keymanager/server/token_issuance.h"

#include "keymanager/server/random_token.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"

namespace gatehouse::keymanager {

std::expected<AccessToken, OAuthError> sign_access_token(const ServerContext& context,
                                                         const Client& client,
                                                         std::string_view subject,
                                                         std::string_view scope, UnixSeconds now,
                                                         UnixSeconds expires_at) {
  return issue_access_token(context.keys(), AccessTokenClaims{.issuer = context.settings().issuer,
                                                              .audience = context.audience(),
                                                              .subject = subject,
                                                              .client_id = client.client_id,
                                                              .scope = scope,
                                                              .issued_at = now,
                                                              .expires_at = expires_at});
}

std::expected<IssuedTokens, OAuthError> issue_access_only(const ServerContext& context,
                                                          const Client& client,
                                                          std::string_view subject,
                                                          std::string scope, UnixSeconds now) {
  auto access = sign_access_token(context, client, subject, scope, now,
                                  now + client.access_token_lifetime.count());
  if (!access) return std::unexpected(std::move(access.error()));
  return IssuedTokens{.access_token = std::move(*access), .scope = std::move(scope)};
}

boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> issue_with_refresh_token(
    ServerContext& context, const Client& client, std::string subject, std::string scope,
    UnixSeconds now) {
  auto issued = issue_access_only(context, client, subject, scope, now);
  if (!issued || !client.may_use(refresh_token_grant_type)) co_return issued;
  NewRefreshToken refresh =
      new_refresh_token(client, std::move(subject), std::move(scope), std::string(), now);
  auto stored = co_await call_store(context.store(), [&refresh](GrantStore& store) {
    return store.put_refresh_token(refresh.record);
  });
  if (!stored) co_return std::unexpected(std::move(stored.error()));
  issued->refresh_token = std::move(refresh.token);
  co_return issued;
}

NewRefreshToken new_refresh_token(const Client& client, std::string subject, std::string scope,
                                  std::string family, UnixSeconds now) {
  std::string token = random_token();
  RefreshTokenRecord record{
      .token_hash = token_hash(token),
      .family = family.empty() ? random_token(16) : std::move(family),
      .client_id = client.client_id,
      .subject = std::move(subject),
      .scope = std::move(scope),
      .context = "{}",
      .issued_at = now,
      .expires_at = now + client.refresh_token_lifetime.count(),
      .used = false,
  };
  return NewRefreshToken{std::move(token), std::move(record)};
}

}  // namespace gatehouse::keymanager
