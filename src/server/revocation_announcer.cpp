#include "server/revocation_announcer.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <string>

#include "net/until_called.h"
#include "observability/log.h"

namespace gatehouse::server {

namespace asio = boost::asio;

namespace {

// On the control thread: the revocation recorded and posted to every worker, then done once they
// all have it.
asio::awaitable<void> revoke_on_every_worker(security::Revocations& revocations,
                                             const WorkerBarrier& every_worker, std::string jti,
                                             keymanager::UnixSeconds expires_at) {
  auto revoked = revocations.revoke({std::move(jti), expires_at}, keymanager::system_now());
  if (!revoked && revoked.error() == security::RevokeError::full) {
    log::error(
        "oauth2_server: the revocation list is full; a revoked token is still accepted until it "
        "expires");
  }
  co_await net::until_called(every_worker);
}

}  // namespace

keymanager::RevocationCallback revocations_through_control(asio::io_context& control,
                                                           security::Revocations& revocations,
                                                           WorkerBarrier every_worker) {
  return [&control, &revocations, every_worker = std::move(every_worker)](
             std::string_view jti, keymanager::UnixSeconds expires_at) -> asio::awaitable<void> {
    // Named: g++ 12 destroys some temporaries of a co_await expression twice.
    auto revocation =
        revoke_on_every_worker(revocations, every_worker, std::string(jti), expires_at);
    // Completes on the awaiting coroutine's executor: the worker that served the revocation.
    co_await asio::co_spawn(control, std::move(revocation), asio::use_awaitable);
  };
}

}  // namespace gatehouse::server
