#include "keymanager/server/server_context.h"

#include <chrono>

namespace gatehouse::keymanager {

UnixSeconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ServerContext::ServerContext(Settings settings, ClientDirectory clients, KeyRing keys,
                             StoreThread& store, RevocationCallback on_revoked, Clock clock)
    : settings_(std::move(settings)),
      clients_(std::move(clients)),
      keys_(std::move(keys)),
      grants_(GrantRegistry::builtin()),
      store_(store),
      on_revoked_(std::move(on_revoked)),
      clock_(std::move(clock)) {}

std::expected<std::unique_ptr<ServerContext>, std::string> ServerContext::create(
    Settings settings, StoreThread& store, RevocationCallback on_revoked, Clock clock) {
  if (settings.issuer.empty()) return std::unexpected("the key manager needs an issuer");
  auto clients = ClientDirectory::build(settings.clients);
  if (!clients) return std::unexpected(std::move(clients.error()));
  const UnixSeconds now = clock();
  auto keys = store.run_blocking([alg = settings.signing_alg, now](GrantStore& grants) {
    return KeyRing::load_or_create(grants, alg, now);
  });
  if (!keys) return std::unexpected("the signing keys: " + keys.error().describe());
  auto revocations =
      store.run_blocking([now](GrantStore& grants) { return grants.revocations(now); });
  if (!revocations) return std::unexpected("the revocations: " + revocations.error().describe());
  std::unique_ptr<ServerContext> context(
      new ServerContext(std::move(settings), std::move(*clients), std::move(*keys), store,
                        std::move(on_revoked), std::move(clock)));
  context->revoked_.add(*revocations);
  return context;
}

}  // namespace gatehouse::keymanager
