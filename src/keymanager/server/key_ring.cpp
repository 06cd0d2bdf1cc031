#include "keymanager/server/key_ring.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <optional>

#include "keymanager/server/signing_key.h"
#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"

namespace gatehouse::keymanager {

namespace {

std::expected<jose::Key, std::string> load(const SigningKeyRecord& record) {
  const std::string name = "signing key '" + record.kid + "'";
  const auto alg = jose::parse_alg(record.alg);
  if (!alg) return std::unexpected(name + " has an unknown alg");
  auto key = jose::load_private_key_pem(record.private_pem);
  if (!key) return std::unexpected(name + ": " + std::string(jose::to_string(key.error())));
  key->kid = record.kid;
  key->alg = *alg;
  return std::move(*key);
}

Error store_failure(std::string cause) {
  return Error(ErrorKind::internal, ErrorSource::gateway, std::move(cause));
}

StoreResult<KeyRing> ring_of(const std::vector<SigningKeyRecord>& records) {
  auto ring = KeyRing::from_records(records);
  if (!ring) return std::unexpected(store_failure(std::move(ring.error())));
  return std::move(*ring);
}

StoreResult<KeyRing> stored_ring(GrantStore& store) {
  auto records = store.signing_keys();
  if (!records) return std::unexpected(std::move(records.error()));
  return ring_of(*records);
}

}  // namespace

StoreResult<SigningKeyRecord> KeyRing::new_key(jose::Alg alg, UnixSeconds now) {
  auto generated = generate_signing_key(alg, now);
  if (!generated) return std::unexpected(store_failure(std::move(generated.error())));
  return std::move(*generated);
}

std::expected<KeyRing, std::string> KeyRing::from_records(
    const std::vector<SigningKeyRecord>& records) {
  std::vector<jose::Key> keys;
  boost::json::array public_keys;
  const SigningKeyRecord* current = nullptr;
  std::optional<jose::Key> signing_key;
  for (const SigningKeyRecord& record : records) {
    auto key = load(record);
    if (!key) return std::unexpected(key.error());
    auto jwk = jose::public_jwk(*key);
    if (!jwk) return std::unexpected("signing key '" + record.kid + "' has no public JWK");
    public_keys.emplace_back(std::move(*jwk));
    if (record.retired_at == 0 &&
        (current == nullptr || record.created_at >= current->created_at)) {
      current = &record;
      signing_key = *key;
    }
    keys.push_back(std::move(*key));
  }
  if (!signing_key) return std::unexpected("no signing key is current");
  return KeyRing(std::move(*signing_key), current->created_at, jose::KeySet(std::move(keys)),
                 boost::json::object{{"keys", std::move(public_keys)}});
}

StoreResult<KeyRing> KeyRing::load_or_create(GrantStore& store, jose::Alg alg, UnixSeconds now) {
  auto records = store.signing_keys();
  if (!records) return std::unexpected(std::move(records.error()));
  if (std::ranges::none_of(*records, [](const auto& record) { return record.retired_at == 0; })) {
    auto key = new_key(alg, now);
    if (!key) return std::unexpected(std::move(key.error()));
    if (auto stored = store.put_signing_key(*key); !stored) {
      return std::unexpected(std::move(stored.error()));
    }
    records->push_back(std::move(*key));
  }
  return ring_of(*records);
}

StoreResult<KeyRing> KeyRing::rotate(GrantStore& store, const SigningKeyRecord& key) {
  auto records = store.signing_keys();
  if (!records) return std::unexpected(std::move(records.error()));
  if (auto stored = store.put_signing_key(key); !stored) {
    return std::unexpected(std::move(stored.error()));
  }
  for (const SigningKeyRecord& record : *records) {
    if (record.retired_at != 0) continue;
    if (auto retired = store.retire_signing_key(record.kid, key.created_at); !retired) {
      return std::unexpected(std::move(retired.error()));
    }
  }
  return stored_ring(store);
}

StoreResult<std::optional<KeyRing>> KeyRing::remove_retired(GrantStore& store,
                                                            UnixSeconds retired_by) {
  auto records = store.signing_keys();
  if (!records) return std::unexpected(std::move(records.error()));
  bool removed = false;
  for (const SigningKeyRecord& record : *records) {
    if (record.retired_at == 0 || record.retired_at > retired_by) continue;
    if (auto gone = store.remove_signing_key(record.kid); !gone) {
      return std::unexpected(std::move(gone.error()));
    }
    removed = true;
  }
  if (!removed) return std::optional<KeyRing>();
  auto ring = stored_ring(store);
  if (!ring) return std::unexpected(std::move(ring.error()));
  return std::optional<KeyRing>(std::move(*ring));
}

}  // namespace gatehouse::keymanager
