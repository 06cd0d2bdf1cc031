// A call of the grant store from a grant or an endpoint: run on the store thread, and a failure
// turned into the server_error the client sees (its cause kept for the log).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <type_traits>
#include <utility>

#include "keymanager/server/oauth_error.h"
#include "keymanager/store/grant_store.h"
#include "keymanager/store/store_thread.h"

namespace gatehouse::keymanager {

// `call(GrantStore&)` returns a StoreResult<T>; this, an expected<T, OAuthError>. Calls capture by
// reference: the awaiting frame outlives the call, and g++ 12 destroys some temporaries of a
// co_await expression twice, among them a lambda that captured a string by copy (a double free).
template <class Call>
boost::asio::awaitable<
    std::expected<typename std::invoke_result_t<Call, GrantStore&>::value_type, OAuthError>>
call_store(StoreThread& store, Call call) {
  auto result = co_await store.run(std::move(call));
  if (!result) {
    co_return std::unexpected(OAuthError{
        OAuthErrorCode::server_error, "the key manager's store failed", result.error().describe()});
  }
  if constexpr (std::is_void_v<typename decltype(result)::value_type>) {
    co_return std::expected<void, OAuthError>{};
  } else {
    co_return std::move(*result);
  }
}

}  // namespace gatehouse::keymanager
