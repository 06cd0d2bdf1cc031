#include "security/identity/user_store.h"

#include <atomic>
#include <utility>

namespace gatehouse::identity {
namespace {

uint64_t next_generation() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace

std::expected<UserStore, StoreErrors> UserStore::build(const std::vector<User>& users) {
  if (users.size() > UINT32_MAX) {
    return std::unexpected(StoreErrors{{RecordKind::user, UINT32_MAX, "too many users"}});
  }
  UserStore store;
  StoreErrors errors;
  auto error = [&](size_t index, std::string message) {
    if (errors.size() < max_store_errors) {
      errors.push_back({RecordKind::user, index, std::move(message)});
    }
  };
  // Reserved in full, so that the names the map views never move.
  store.users_.reserve(users.size());
  store.by_name_.reserve(users.size());
  for (size_t i = 0; i < users.size(); ++i) {
    const User& user = users[i];
    if (user.name.empty() || user.name.find(':') != std::string::npos) {
      error(i, "a user name is not empty and has no ':'");
      continue;
    }
    auto scheme = check_password_hash(user.password_hash);
    if (!scheme) {
      error(i, "user \"" + user.name + "\": " + scheme.error());
      continue;
    }
    const StoredUser& stored =
        store.users_.emplace_back(StoredUser{user.name, user.password_hash, *scheme, user.roles});
    auto [existing, added] =
        store.by_name_.emplace(stored.name, static_cast<uint32_t>(store.users_.size() - 1));
    if (!added) error(i, "user \"" + user.name + "\" is defined twice");
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  store.generation_ = next_generation();
  return store;
}

const StoredUser* UserStore::find(std::string_view name) const {
  auto found = by_name_.find(name);
  return found == by_name_.end() ? nullptr : &users_[found->second];
}

const StoredUser* UserStore::verify(std::string_view name, std::string_view password) const {
  const StoredUser* user = find(name);
  if (user == nullptr) {
    if (!users_.empty()) {
      const StoredUser& stand_in = users_.front();
      [[maybe_unused]] bool ignored =
          verify_password(password, stand_in.password_hash, stand_in.scheme);
    }
    return nullptr;
  }
  return verify_password(password, user->password_hash, user->scheme) ? user : nullptr;
}

}  // namespace gatehouse::identity
