#include "keymanager/server/opaque_access_token.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <memory>
#include <string>

#include "keymanager/server/random_token.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

boost::asio::awaitable<std::expected<AccessToken, OAuthError>> issue_opaque_access_token(
    ServerContext& context, const AccessTokenClaims& claims) {
  AccessToken issued{.token = std::string(opaque_token_prefix) + random_token(),
                     .jti = random_token(16),
                     .expires_at = claims.expires_at};
  auto payload =
      std::make_shared<const boost::json::object>(access_token_payload(claims, issued.jti));
  const OpaqueTokenRecord record{.token_hash = token_hash(issued.token),
                                 .jti = issued.jti,
                                 .claims = boost::json::serialize(*payload),
                                 .expires_at = issued.expires_at};
  auto stored = co_await call_store(
      context.store(), [&record](GrantStore& store) { return store.put_opaque_token(record); });
  if (!stored) co_return std::unexpected(std::move(stored.error()));
  context.opaque_tokens()->insert(jose::sha256(issued.token), std::move(payload),
                                  issued.expires_at);
  co_return issued;
}

void remember_opaque_tokens(security::ResidentOpaqueTokens& table,
                            const std::vector<OpaqueTokenRecord>& records) {
  for (const OpaqueTokenRecord& record : records) {
    const auto digest = token_digest_of_hash(record.token_hash);
    boost::system::error_code error;
    boost::json::value claims = boost::json::parse(record.claims, error);
    if (!digest || error || !claims.is_object()) continue;
    table.insert(*digest,
                 std::make_shared<const boost::json::object>(std::move(claims.get_object())),
                 record.expires_at);
  }
}

}  // namespace gatehouse::keymanager
