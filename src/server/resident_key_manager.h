// The built-in key manager (`oauth2_server`) as the process runs it: its grant store on its own
// thread, its context (clients, key ring, grants) and its endpoints. Made at start when the
// section is present and kept for the process's life, across reloads: a reload does not change
// it (its settings take effect at the next restart), as the store and keys must outlive any
// snapshot. Its key ring rotates meanwhile, by the admin route or on schedule.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "config/model.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/registered_applications.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/store_thread.h"
#include "outbound/fetch.h"
#include "security/auth/key_manager.h"
#include "security/auth/resident_keys.h"
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
  // Applications' keys made while the gateway runs: from the control thread.
  keymanager::ApplicationKeys& application_keys() { return application_keys_; }
  // Applications and subscription changes made through the admin listener: from the control
  // thread.
  keymanager::RegisteredApplications& registered_applications() { return registered_applications_; }
  // Whether clients may register themselves (oauth2_server registration); if so, the gateway
  // hands the key manager what makes their applications, before the workers serve.
  bool offers_registration() const { return context_->settings().registration.has_value(); }
  void set_registrar(keymanager::ClientRegistrar& registrar) {
    context_->set_registrar(&registrar);
  }
  // What the gateway checks this key manager's tokens with, in memory: the key ring's public keys
  // (the same object for the process's life, its keys swapped at each change of the ring) and the
  // table of live opaque tokens, which the key manager changes as it issues and revokes them.
  security::ResidentIssuer resident_issuer() const {
    return {.keys = resident_keys_, .opaque_tokens = context_->opaque_tokens()};
  }

  // The key ring's changes, from the control thread (they block on the store): a rotation now,
  // answering the new ring; and what is due (a scheduled rotation, the removal of keys whose
  // tokens have expired), checked at start and then periodically.
  std::expected<std::shared_ptr<const keymanager::KeyRing>, std::string> rotate_signing_key();
  void maintain_signing_keys();
  // Drops the opaque tokens that expired from the table of live ones, which a lookup does only
  // for the tokens presented again; and, at most hourly, every row of the store that expired
  // (tokens, codes, revocations, used assertions), which nothing reads again. Periodically, from
  // the control thread.
  void purge_expired_tokens();
  // The trusted issuers' keys from a jwks_uri that are due (trusted_key_fetch.h): on the control
  // thread, at start and then every few seconds, when some issuer has one.
  bool fetches_trusted_keys() const { return trusted_tls_.has_value(); }
  boost::asio::awaitable<void> fetch_trusted_keys() const;

 private:
  ResidentKeyManager(std::unique_ptr<identity::UserStore> users,
                     std::unique_ptr<keymanager::StoreThread> store,
                     std::unique_ptr<keymanager::ServerContext> context,
                     std::optional<outbound::ClientTls> trusted_tls)
      : users_(std::move(users)),
        store_(std::move(store)),
        context_(std::move(context)),
        trusted_tls_(std::move(trusted_tls)),
        endpoints_(*context_),
        application_keys_(*context_),
        registered_applications_(*context_),
        resident_keys_(std::make_shared<security::ResidentKeys>(current_keys())) {}

  std::shared_ptr<const jose::KeySet> current_keys() const;

  // The resource owners of the password grant: the `users` section as the gateway started.
  std::unique_ptr<identity::UserStore> users_;
  std::unique_ptr<keymanager::StoreThread> store_;
  std::unique_ptr<keymanager::ServerContext> context_;  // reads users_ and store_
  std::optional<outbound::ClientTls> trusted_tls_;      // when a trusted issuer has a jwks_uri
  keymanager::Endpoints endpoints_;
  keymanager::ApplicationKeys application_keys_;
  keymanager::RegisteredApplications registered_applications_;
  std::shared_ptr<security::ResidentKeys> resident_keys_;
  keymanager::UnixSeconds store_purged_at_ = 0;  // 0: not yet in this process
};

// The key manager's settings from the config's section, with the `users` store the password
// grant checks.
keymanager::Settings key_manager_settings(const config::Config& config,
                                          const identity::UserStore* users);

}  // namespace gatehouse::server
