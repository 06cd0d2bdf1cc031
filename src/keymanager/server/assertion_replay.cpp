#include "keymanager/server/assertion_replay.h"

#include "keymanager/server/store_call.h"

namespace gatehouse::keymanager {

boost::asio::awaitable<std::expected<void, OAuthError>> consume_assertion(
    ServerContext& context, const CheckedAssertion& assertion, UnixSeconds now,
    OAuthErrorCode replay_error) {
  const UsedAssertionRecord& use = assertion.use;
  const auto first = co_await call_store(
      context.store(), [&use, now](GrantStore& store) { return store.use_assertion(use, now); });
  if (!first) co_return std::unexpected(first.error());
  if (!*first) co_return std::unexpected(OAuthError{replay_error, "the assertion was used before"});
  co_return std::expected<void, OAuthError>{};
}

}  // namespace gatehouse::keymanager
