// One key manager at run time: an issuer of access tokens and how its tokens are checked.
// JWTs are verified locally with its keys; opaque tokens are introspected (RFC 7662).
//
// Keys come from a file (loaded once), from the process's own key manager (in memory, swapped when
// its ring rotates), from a JWKS URI, or from the JWKS URI its OIDC discovery document names.
// Fetched keys are per worker: each worker fetches on its first token, then again when a token
// names a `kid` it does not know, at most once per `jwks_refetch_interval`; a failed fetch keeps
// the keys it had. Coroutines of one
// worker that need keys while a fetch is running wait for that fetch instead of starting another.
//
// Compiled once per snapshot; the const methods are called by every worker at once and touch only
// the calling worker's slot.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "config/security_model.h"
#include "core/worker_index.h"
#include "outbound/fetch.h"
#include "security/auth/auth_error.h"
#include "security/auth/resident_keys.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"

namespace gatehouse::security {

class KeyManager {
 public:
  // `resident_keys`: the built-in key manager's, for a `resident` config (null: it has none
  // yet, as in `gatehouse validate`, and its tokens are refused).
  static std::expected<std::unique_ptr<KeyManager>, std::string> create(
      const config::KeyManagerConfig& config, size_t workers,
      std::shared_ptr<const ResidentKeys> resident_keys = nullptr);

  const config::KeyManagerConfig& config() const { return config_; }
  const std::string& name() const { return config_.name; }
  const std::string& issuer() const { return config_.issuer; }
  bool introspects() const { return config_.introspection.has_value(); }

  // Signature (fetching keys if needed) and the registered claims: exp/nbf within the leeway,
  // iss, and aud when audiences are configured. `now` is seconds since the epoch.
  boost::asio::awaitable<std::expected<void, AuthError>> verify(const jose::Jws& jws,
                                                                int64_t now) const;

  // The key manager's answer for an opaque token: the introspection response of an active token
  // within its exp/nbf (the leeway allowed) and, when audiences are configured, for one of them;
  // invalid_credentials otherwise, key_manager_unreachable when it cannot be asked.
  boost::asio::awaitable<std::expected<boost::json::object, AuthError>> introspect(
      std::string_view token, int64_t now) const;

 private:
  struct WorkerKeys {
    std::shared_ptr<const jose::KeySet> keys;
    std::optional<std::chrono::steady_clock::time_point> last_fetch;
    std::string jwks_uri;                                 // from discovery
    std::shared_ptr<boost::asio::steady_timer> fetching;  // set while a fetch runs
  };

  KeyManager(const config::KeyManagerConfig& config, size_t workers);

  boost::asio::awaitable<std::shared_ptr<const jose::KeySet>> keys_for(std::string_view kid) const;
  boost::asio::awaitable<void> refetch(WorkerKeys& worker) const;
  boost::asio::awaitable<std::expected<std::string, std::string>> jwks_uri(
      WorkerKeys& worker) const;
  boost::asio::awaitable<std::expected<std::string, std::string>> get(const std::string& url) const;

  config::KeyManagerConfig config_;
  std::shared_ptr<const jose::KeySet> file_keys_;      // from jwks_file
  std::shared_ptr<const ResidentKeys> resident_keys_;  // a `resident` config's: they rotate
  std::optional<jose::Key> hmac_key_;
  std::optional<outbound::ClientTls> tls_;
  PerWorker<WorkerKeys> workers_;
};

}  // namespace gatehouse::security
