#include "keymanager/server/family_revocation.h"

#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"

namespace gatehouse::keymanager {

boost::asio::awaitable<std::expected<void, OAuthError>> revoke_family(ServerContext& context,
                                                                      std::string family) {
  auto revoked = co_await call_store(
      context.store(), [&family](GrantStore& store) { return store.revoke_family(family); });
  if (!revoked) co_return std::unexpected(std::move(revoked.error()));
  for (const std::string& hash : revoked->opaque_token_hashes) {
    if (const auto digest = token_digest_of_hash(hash)) context.opaque_tokens()->erase(*digest);
  }
  for (const RevocationRecord& token : revoked->access_tokens) {
    co_await context.announce_revocation(token.token_id, token.expires_at);
  }
  co_return std::expected<void, OAuthError>{};
}

}  // namespace gatehouse::keymanager
