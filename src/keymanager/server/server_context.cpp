#include "keymanager/server/server_context.h"

#include <algorithm>
#include <chrono>

#include "keymanager/server/opaque_access_token.h"
#include "keymanager/server/registered_client.h"

namespace gatehouse::keymanager {

namespace {

// The clocks of those who verify may be behind ours, and accept a token a little past its exp.
constexpr std::chrono::seconds retired_key_leeway{300};

}  // namespace

UnixSeconds system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ServerContext::ServerContext(Settings settings, ClientDirectory clients, KeyRing keys,
                             StoreThread& store, RevocationCallback on_revoked, Clock clock)
    : settings_(std::move(settings)),
      clients_(std::make_shared<const ClientDirectory>(std::move(clients))),
      keys_(std::make_shared<const KeyRing>(std::move(keys))),
      grants_(GrantRegistry::builtin()),
      store_(store),
      opaque_tokens_(std::make_shared<security::ResidentOpaqueTokens>()),
      on_revoked_(std::move(on_revoked)),
      clock_(std::move(clock)) {}

std::expected<std::unique_ptr<ServerContext>, std::string> ServerContext::create(
    Settings settings, StoreThread& store, RevocationCallback on_revoked, Clock clock) {
  if (settings.issuer.empty()) return std::unexpected("the key manager needs an issuer");
  auto registered = store.run_blocking([](GrantStore& grants) { return grants.clients(); });
  if (!registered)
    return std::unexpected("the registered clients: " + registered.error().describe());
  std::vector<Client> all_clients = settings.clients;
  for (const ClientRecord& record : *registered) {
    auto client = client_of(record);
    if (!client) return std::unexpected(std::move(client.error()));
    all_clients.push_back(std::move(*client));
  }
  auto clients = ClientDirectory::build(std::move(all_clients));
  if (!clients) return std::unexpected(std::move(clients.error()));
  const UnixSeconds now = clock();
  auto keys = store.run_blocking([alg = settings.signing_alg, now](GrantStore& grants) {
    return KeyRing::load_or_create(grants, alg, now);
  });
  if (!keys) return std::unexpected("the signing keys: " + keys.error().describe());
  auto revocations =
      store.run_blocking([now](GrantStore& grants) { return grants.revocations(now); });
  if (!revocations) return std::unexpected("the revocations: " + revocations.error().describe());
  auto opaque_tokens =
      store.run_blocking([now](GrantStore& grants) { return grants.opaque_tokens(now); });
  if (!opaque_tokens) {
    return std::unexpected("the opaque access tokens: " + opaque_tokens.error().describe());
  }
  std::unique_ptr<ServerContext> context(
      new ServerContext(std::move(settings), std::move(*clients), std::move(*keys), store,
                        std::move(on_revoked), std::move(clock)));
  context->revoked_.add(*revocations);
  remember_opaque_tokens(*context->opaque_tokens_, *opaque_tokens);
  return context;
}

std::chrono::seconds ServerContext::retired_key_lifetime() const {
  std::chrono::seconds longest{0};
  for (const auto& [id, client] : clients()->by_id()) {
    longest = std::max(longest, client->access_token_lifetime);
  }
  return longest + retired_key_leeway;
}

StoreResult<std::shared_ptr<const KeyRing>> ServerContext::rotate_keys() {
  // The settings' alg: a change of it takes effect at the next rotation. The key is made here,
  // on the caller's thread: an RSA key takes about 100 ms, which the store thread, and the grants
  // of every worker that wait on it, would spend otherwise.
  auto key = KeyRing::new_key(settings_.signing_alg, now());
  if (!key) return std::unexpected(std::move(key.error()));
  auto rotated =
      store_.run_blocking([&key](GrantStore& store) { return KeyRing::rotate(store, *key); });
  if (!rotated) return std::unexpected(std::move(rotated.error()));
  auto ring = std::make_shared<const KeyRing>(std::move(*rotated));
  keys_.store(ring, std::memory_order_release);
  rotations_.fetch_add(1, std::memory_order_relaxed);
  return ring;
}

StoreResult<bool> ServerContext::maintain_keys() {
  const UnixSeconds at = now();
  bool changed = false;
  const auto& rotation = settings_.signing_key_rotation;
  if (rotation && keys()->created_at() + rotation->count() <= at) {
    if (auto rotated = rotate_keys(); !rotated) return std::unexpected(std::move(rotated.error()));
    changed = true;
  }
  auto remaining =
      store_.run_blocking([retired_by = at - retired_key_lifetime().count()](GrantStore& store) {
        return KeyRing::remove_retired(store, retired_by);
      });
  if (!remaining) return std::unexpected(std::move(remaining.error()));
  if (*remaining) {
    keys_.store(std::make_shared<const KeyRing>(std::move(**remaining)), std::memory_order_release);
    changed = true;
  }
  return changed;
}

boost::asio::awaitable<void> ServerContext::announce_revocation(std::string_view jti,
                                                                UnixSeconds expires_at) {
  revoked_.add(std::string(jti), expires_at);
  if (on_revoked_) co_await on_revoked_(jti, expires_at);
}

}  // namespace gatehouse::keymanager
