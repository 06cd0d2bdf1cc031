// The users of Basic Auth: names, password hashes and roles, compiled once per snapshot and read
// by every worker. verify() costs one hash computation (milliseconds for Argon2id); workers put a
// CredentialCache in front of it.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "security/identity/password_hash.h"
#include "security/identity/records.h"
#include "security/identity/store_error.h"

namespace gatehouse::identity {

struct StoredUser {
  std::string name;
  std::string password_hash;
  HashScheme scheme;
  std::vector<std::string> roles;
};

class UserStore {
 public:
  // Refuses an empty user name, one with a ':' (Basic credentials split at the first colon,
  // RFC 7617), a name given twice, and a hash check_password_hash refuses.
  static std::expected<UserStore, StoreErrors> build(const std::vector<User>& users);

  // The user, if `password` is theirs; nullptr otherwise. An unknown name costs about as much as a
  // known one: the password is checked against the first user's hash and the result dropped, so
  // the answer time does not tell which names exist (as long as all hashes have one scheme and
  // cost, which is the case when they come from one tool).
  const StoredUser* verify(std::string_view name, std::string_view password) const;

  const StoredUser* find(std::string_view name) const;
  size_t size() const { return users_.size(); }

  // Distinct for every store built in this process: a cache keyed on a store's user pointers
  // learns from it that the store was replaced.
  uint64_t generation() const { return generation_; }

 private:
  std::vector<StoredUser> users_;  // never resized after build: the map's keys view their names
  absl::flat_hash_map<std::string_view, uint32_t> by_name_;
  uint64_t generation_ = 0;
};

}  // namespace gatehouse::identity
