// The built-in key manager (`oauth2_server`) as the process runs it: its grant store on its own
// thread, its context (clients, key ring, grants) and its endpoints. Made at start when the
// section is present and kept for the process's life, across reloads: a reload does not change
// it (its settings take effect at the next restart), as the store and keys must outlive any
// snapshot.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "config/model.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/store_thread.h"
#include "security/identity/user_store.h"
#include "security/jose/jwk.h"

namespace gatehouse::server {

class ResidentKeyManager {
 public:
  // Opens (or creates) the store, loads the signing keys (generating and storing one on first
  // start) and the revocations. Blocks on the store: call it at start, before the workers serve.
  // `on_revoked` is called on a worker for each access token revoked through /oauth2/revoke, or
  // with its family (a reused refresh token or authorization code).
  static std::expected<std::unique_ptr<ResidentKeyManager>, std::string> start(
      const config::Config& config, keymanager::RevocationCallback on_revoked);

  const keymanager::Endpoints& endpoints() const { return endpoints_; }
  // The key ring's public keys, which the gateway verifies this key manager's tokens with.
  std::shared_ptr<const jose::KeySet> verification_keys() const;

 private:
  ResidentKeyManager(std::unique_ptr<identity::UserStore> users,
                     std::unique_ptr<keymanager::StoreThread> store,
                     std::unique_ptr<keymanager::ServerContext> context)
      : users_(std::move(users)),
        store_(std::move(store)),
        context_(std::move(context)),
        endpoints_(*context_) {}

  // The resource owners of the password grant: the `users` section as the gateway started.
  std::unique_ptr<identity::UserStore> users_;
  std::unique_ptr<keymanager::StoreThread> store_;
  std::unique_ptr<keymanager::ServerContext> context_;  // reads users_ and store_
  keymanager::Endpoints endpoints_;
};

// The key manager's settings from the config's section, with the `users` store the password
// grant checks.
keymanager::Settings key_manager_settings(const config::Config& config,
                                          const identity::UserStore* users);

}  // namespace gatehouse::server
