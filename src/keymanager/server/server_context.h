// Everything the key manager's endpoints and grants share: its settings, clients, signing keys,
// grants, store, and the key that signs the authorization endpoint's forms and sessions. Built once
// at start and then read by every worker; the revoked set, the live opaque tokens, the pushed
// authorization requests and the failed attempts are the parts that change, and they guard
// themselves. The key ring changes
// by a whole: a rotation swaps in a new immutable ring.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "keymanager/server/client_directory.h"
#include "keymanager/server/failed_attempts.h"
#include "keymanager/server/grant_registry.h"
#include "keymanager/server/hmac_signer.h"
#include "keymanager/server/key_ring.h"
#include "keymanager/server/pushed_requests.h"
#include "keymanager/server/revoked_access_tokens.h"
#include "keymanager/server/settings.h"
#include "keymanager/store/grant_store.h"
#include "keymanager/store/store_thread.h"
#include "security/auth/resident_opaque_tokens.h"

namespace gatehouse::keymanager {

class ClientRegistrar;

// Told of each access token revoked here, so that the gateway refuses it (its
// security::Revocations, on every worker). Called on the thread that handled the revocation; the
// awaitable completes once every worker refuses the token, and what reports the revocation (the
// answer to /oauth2/revoke, to a reused code or refresh token) waits for it: a call that follows
// the answer is refused wherever it lands. `jti` lives until then.
using RevocationCallback =
    std::function<boost::asio::awaitable<void>(std::string_view jti, UnixSeconds expires_at)>;
// Seconds since the epoch. The system clock but in tests of expiry.
using Clock = std::function<UnixSeconds()>;

UnixSeconds system_now();

class ServerContext {
 public:
  // Checks the clients (the settings' and those the store registered), loads the signing keys
  // (making one when the store has none), the revoked access tokens and the live opaque ones.
  // Blocks on the store: call it at start, not on a worker.
  static std::expected<std::unique_ptr<ServerContext>, std::string> create(
      Settings settings, StoreThread& store, RevocationCallback on_revoked,
      Clock clock = system_now);

  const Settings& settings() const { return settings_; }
  // The clients as they are now: a request keeps the client it found while it is served.
  std::shared_ptr<const ClientDirectory> clients() const {
    return clients_.load(std::memory_order_acquire);
  }
  // From the one thread that changes clients (the gateway's control thread), after the store.
  void replace_clients(std::shared_ptr<const ClientDirectory> clients) {
    clients_.store(std::move(clients), std::memory_order_release);
  }
  // The ring as it is now: a request keeps the one it took for as long as it signs or verifies.
  std::shared_ptr<const KeyRing> keys() const { return keys_.load(std::memory_order_acquire); }
  const GrantRegistry& grants() const { return grants_; }
  StoreThread& store() { return store_; }
  RevokedAccessTokens& revoked() { return revoked_; }
  // The opaque access tokens not expired nor revoked, which the gateway's `resident` key manager
  // reads too (opaque_access_token.h).
  const std::shared_ptr<security::ResidentOpaqueTokens>& opaque_tokens() const {
    return opaque_tokens_;
  }
  PushedRequests& pushed_requests() { return pushed_requests_; }
  FailedAttempts& failed_attempts() { return failed_attempts_; }
  // An access token the store holds as revoked now: told to introspection's list and to the
  // gateway's (the callback); completes once every worker refuses it.
  boost::asio::awaitable<void> announce_revocation(std::string_view jti, UnixSeconds expires_at);
  UnixSeconds now() const { return clock_(); }

  // Changes of the key ring, which block on the store: from one thread at a time (the gateway's
  // control thread), never from a worker. Each stores first, then swaps the new ring in.
  // A new key of the settings' signing_alg signs from now on; the previous ones stay listed.
  StoreResult<std::shared_ptr<const KeyRing>> rotate_keys();
  // Rotations in this process, by hand or on schedule, for the metrics.
  uint64_t rotations() const { return rotations_.load(std::memory_order_relaxed); }
  // Rotates when signing_key_rotation has passed since the current key was made, and removes the
  // retired keys whose every token has expired. True when the ring changed.
  StoreResult<bool> maintain_keys();
  // How long a retired key is kept: every token it signed (an access token, an ID token of the
  // same exp) has expired by then, whichever client it was issued to.
  std::chrono::seconds retired_key_lifetime() const;
  // What registers clients at /oauth2/register; null until the gateway sets it, once, before the
  // workers serve (and never without a registration policy).
  ClientRegistrar* registrar() const { return registrar_; }
  void set_registrar(ClientRegistrar* registrar) { registrar_ = registrar; }
  // Signs what the authorization endpoint hands to browsers; its key lives as long as the process.
  const HmacSigner& browser_signer() const { return browser_signer_; }

  // The `aud` of access tokens: the settings', else the issuer.
  std::string_view audience() const {
    return settings_.audience.empty() ? settings_.issuer : settings_.audience;
  }
  // Where "/oauth2/..." is served: the settings' endpoint base, else the issuer.
  std::string_view endpoint_base() const {
    return settings_.endpoint_base.empty() ? settings_.issuer : settings_.endpoint_base;
  }

 private:
  ServerContext(Settings settings, ClientDirectory clients, KeyRing keys, StoreThread& store,
                RevocationCallback on_revoked, Clock clock);

  Settings settings_;
  std::atomic<std::shared_ptr<const ClientDirectory>> clients_;
  std::atomic<std::shared_ptr<const KeyRing>> keys_;
  std::atomic<uint64_t> rotations_ = 0;
  GrantRegistry grants_;
  StoreThread& store_;
  RevokedAccessTokens revoked_;
  std::shared_ptr<security::ResidentOpaqueTokens> opaque_tokens_;
  PushedRequests pushed_requests_;
  FailedAttempts failed_attempts_;
  RevocationCallback on_revoked_;
  Clock clock_;
  HmacSigner browser_signer_;
  ClientRegistrar* registrar_ = nullptr;
};

}  // namespace gatehouse::keymanager
