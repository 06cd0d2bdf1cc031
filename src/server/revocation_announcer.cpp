#include "server/revocation_announcer.h"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <string>

#include "observability/log.h"

namespace gatehouse::server {

namespace asio = boost::asio;

namespace {

// On the control thread: the revocation recorded and posted to every worker; `applied` once they
// all have it, or at once when the list refuses it.
void revoke_on_every_worker(security::Revocations& revocations, std::string jti,
                            keymanager::UnixSeconds expires_at, std::function<void()> applied) {
  auto revoked = revocations.revoke({std::move(jti), expires_at}, keymanager::system_now(),
                                    std::move(applied));
  if (!revoked && revoked.error() == security::RevokeError::full) {
    log::error(
        "oauth2_server: the revocation list is full; a revoked token is still accepted until it "
        "expires");
  }
}

}  // namespace

keymanager::RevocationCallback revocations_through_control(asio::io_context& control,
                                                           security::Revocations& revocations) {
  return [&control, &revocations](std::string_view jti,
                                  keymanager::UnixSeconds expires_at) -> asio::awaitable<void> {
    // Named, and capturing only views: g++ 12 destroys some temporaries of a co_await expression
    // twice, a lambda that owns a string among them.
    const auto initiation = [&control, &revocations, jti, expires_at](auto handler) {
      // The coroutine's handler, resumed on its own executor (the worker's) by whichever thread
      // completes the revocation.
      auto resume = std::make_shared<decltype(handler)>(std::move(handler));
      std::function<void()> applied = [resume] {
        auto executor = asio::get_associated_executor(*resume);
        asio::post(executor, std::move(*resume));
      };
      asio::post(control, [&revocations, jti = std::string(jti), expires_at,
                           applied = std::move(applied)]() mutable {
        revoke_on_every_worker(revocations, std::move(jti), expires_at, std::move(applied));
      });
    };
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(initiation,
                                                                          asio::use_awaitable);
  };
}

}  // namespace gatehouse::server
