// The key manager's signing keys: the current one, which signs every new token, and the previous
// ones, still listed in the JWKS and accepted by introspection until the tokens they signed have
// expired (signing_key_rotation.h retires and removes them). Immutable once built: every worker
// reads it at once, and a rotation builds a new ring (ServerContext swaps it in).
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "keymanager/store/grant_store.h"
#include "security/jose/alg.h"
#include "security/jose/jwk.h"
#include "security/jose/key.h"

namespace gatehouse::keymanager {

class KeyRing {
 public:
  // From the store's records: the current key is the newest one not retired. Fails when there is
  // none, or a record's key or alg cannot be used.
  static std::expected<KeyRing, std::string> from_records(
      const std::vector<SigningKeyRecord>& records);

  // The store's keys; when none is current, first generates one of `alg` and stores it. Blocks on
  // the store: call it on the store thread (StoreThread::run, or run_blocking at start).
  static StoreResult<KeyRing> load_or_create(GrantStore& store, jose::Alg alg, UnixSeconds now);

  // A new key of `alg`, made at `now`, not stored: no store needed, so that it is made off the
  // store thread.
  static StoreResult<SigningKeyRecord> new_key(jose::Alg alg, UnixSeconds now);
  // Rotation, on the store thread like load_or_create: `key` (new_key, made before) is stored, then
  // every other current key is retired at its created_at: a failure between the two leaves two
  // current keys, of which the newer signs, never none.
  static StoreResult<KeyRing> rotate(GrantStore& store, const SigningKeyRecord& key);
  // Removes the keys retired at or before `retired_by`, whose tokens have all expired; nullopt
  // when there were none, else the ring without them.
  static StoreResult<std::optional<KeyRing>> remove_retired(GrantStore& store,
                                                            UnixSeconds retired_by);

  // The current key, with its kid and alg set.
  const jose::Key& signing_key() const { return signing_key_; }
  jose::Alg alg() const { return *signing_key_.alg; }
  const std::string& kid() const { return signing_key_.kid; }
  // When the current key was made: a scheduled rotation counts from it.
  UnixSeconds created_at() const { return created_at_; }

  // Every key of the ring, current and previous, by kid: for jose::verify.
  const jose::KeySet& verification_keys() const { return verification_keys_; }
  // {"keys": [...]}: the public JWK of every key, never a private parameter.
  const boost::json::object& jwks() const { return jwks_; }

 private:
  KeyRing(jose::Key signing_key, UnixSeconds created_at, jose::KeySet verification_keys,
          boost::json::object jwks)
      : signing_key_(std::move(signing_key)),
        created_at_(created_at),
        verification_keys_(std::move(verification_keys)),
        jwks_(std::move(jwks)) {}

  jose::Key signing_key_;
  UnixSeconds created_at_;
  jose::KeySet verification_keys_;
  boost::json::object jwks_;
};

}  // namespace gatehouse::keymanager
