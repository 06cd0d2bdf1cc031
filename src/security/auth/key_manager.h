// One key manager at run time: an issuer of access tokens and how its tokens are checked.
// JWTs are verified locally with its keys; opaque tokens are introspected (RFC 7662), or, for the
// process's own key manager, resolved in memory (ResidentOpaqueTokens) as introspection would.
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
#include "security/auth/resident_opaque_tokens.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"

namespace gatehouse::security {

// What the process's built-in key manager lends a `resident` key manager, in memory: its public
// keys and its live opaque tokens. A null member: the process has none (as in `gatehouse
// validate`), and the tokens it would check are refused.
struct ResidentIssuer {
  std::shared_ptr<const ResidentKeys> keys;
  std::shared_ptr<ResidentOpaqueTokens> opaque_tokens;
};

class KeyManager {
 public:
  // `resident`: the built-in key manager's keys and tokens, for a `resident` config.
  static std::expected<std::unique_ptr<KeyManager>, std::string> create(
      const config::KeyManagerConfig& config, size_t workers, const ResidentIssuer& resident = {});

  const config::KeyManagerConfig& config() const { return config_; }
  const std::string& name() const { return config_.name; }
  const std::string& issuer() const { return config_.issuer; }
  // Whether introspect() can answer: an introspection endpoint is configured, or the key manager
  // is the process's own.
  bool introspects() const { return config_.introspection.has_value() || config_.resident; }

  // Signature (fetching keys if needed) and the registered claims: exp/nbf within the leeway,
  // iss, and aud when audiences are configured. `now` is seconds since the epoch.
  boost::asio::awaitable<std::expected<void, AuthError>> verify(const jose::Jws& jws,
                                                                int64_t now) const;

  // The key manager's answer for an opaque token: the introspection response of an active token
  // within its exp/nbf (the leeway allowed) and, when audiences are configured, for one of them;
  // invalid_credentials otherwise, key_manager_unreachable when it cannot be asked. The
  // process's own key manager answers from its table of live tokens, on the calling thread.
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
  std::expected<boost::json::object, AuthError> resolve_resident(std::string_view token,
                                                                 int64_t now) const;

  config::KeyManagerConfig config_;
  std::shared_ptr<const jose::KeySet> file_keys_;          // from jwks_file
  std::shared_ptr<const ResidentKeys> resident_keys_;      // a `resident` config's: they rotate
  std::shared_ptr<ResidentOpaqueTokens> resident_tokens_;  // a `resident` config's: live ones
  std::optional<jose::Key> hmac_key_;
  std::optional<outbound::ClientTls> tls_;
  PerWorker<WorkerKeys> workers_;
};

}  // namespace gatehouse::security
