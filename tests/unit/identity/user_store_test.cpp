#include "security/identity/user_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "support/password_tools.h"

namespace gatehouse::identity {
namespace {

using test_support::argon2_tool_hash;
using test_support::htpasswd_bcrypt_hash;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

UserStore build(const std::vector<User>& users) {
  auto store = UserStore::build(users);
  if (!store) {
    for (const StoreError& error : store.error())
      ADD_FAILURE() << error.index << ": " << error.message;
    return *UserStore::build({});
  }
  return std::move(*store);
}

TEST(UserStore, VerifiesArgon2idAndBcryptUsers) {
  UserStore store = build({{"alice", argon2_tool_hash("wonderland"), {"admin", "ops"}},
                           {"bob", htpasswd_bcrypt_hash("builder"), {"reader"}}});
  const StoredUser* alice = store.verify("alice", "wonderland");
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_THAT(alice->roles, ElementsAre("admin", "ops"));
  const StoredUser* bob = store.verify("bob", "builder");
  ASSERT_NE(bob, nullptr);
  EXPECT_THAT(bob->roles, ElementsAre("reader"));
}

TEST(UserStore, WrongPasswordsAndUnknownUsersAreRefused) {
  UserStore store = build({{"alice", argon2_tool_hash("wonderland"), {}},
                           {"bob", htpasswd_bcrypt_hash("builder"), {}}});
  EXPECT_EQ(store.verify("alice", "builder"), nullptr);
  EXPECT_EQ(store.verify("bob", "wonderland"), nullptr);
  EXPECT_EQ(store.verify("Alice", "wonderland"), nullptr);
  EXPECT_EQ(store.verify("carol", "wonderland"), nullptr);  // alice's password, unknown name
  EXPECT_EQ(store.verify("", ""), nullptr);
  EXPECT_EQ(store.find("carol"), nullptr);
  EXPECT_NE(store.find("bob"), nullptr);
}

TEST(UserStore, EmptyStoreRefusesEveryone) {
  UserStore store = build({});
  EXPECT_EQ(store.verify("anyone", "anything"), nullptr);
}

// An unknown name pays a hash verification like a known one. Measured against a hash of the
// OWASP cost, whose tens of milliseconds stand well above scheduling noise.
// The CPU time this thread has used: what a hash costs, whatever else the machine is doing.
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

TEST(UserStore, UnknownUserTakesAboutAsLongAsAWrongPassword) {
  UserStore store = build({{"alice", *hash_password_argon2id("wonderland"), {}}});
  auto time = [&](std::string_view name) {
    auto best = std::chrono::nanoseconds::max();
    for (int i = 0; i < 3; ++i) {
      const auto start = thread_cpu_time();
      EXPECT_EQ(store.verify(name, "guess"), nullptr);
      best = std::min(best, thread_cpu_time() - start);
    }
    return best;
  };
  auto known = time("alice");
  auto unknown = time("mallory");
  EXPECT_GT(unknown, known / 2);
  EXPECT_LT(unknown, known * 2);
}

TEST(UserStore, BadUsersAreRefusedWithTheirIndex) {
  std::string good = htpasswd_bcrypt_hash("x");
  StoreErrors errors = UserStore::build({{"ok", good, {}},
                                         {"", good, {}},
                                         {"a:b", good, {}},
                                         {"plain", "secret", {}},
                                         {"md5", "$apr1$abc$def", {}},
                                         {"ok", good, {}}})
                           .error();
  ASSERT_EQ(errors.size(), 5u);
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].kind, RecordKind::user);
    EXPECT_EQ(errors[i].index, i + 1);
  }
  EXPECT_THAT(errors[1].message, HasSubstr("':'"));
  EXPECT_THAT(errors[2].message, HasSubstr("unknown password hash format"));
  EXPECT_THAT(errors[4].message, HasSubstr("twice"));
}

TEST(UserStore, EveryStoreHasItsOwnGeneration) {
  UserStore first = build({});
  UserStore second = build({});
  EXPECT_NE(first.generation(), second.generation());
}

}  // namespace
}  // namespace gatehouse::identity
