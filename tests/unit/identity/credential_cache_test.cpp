#include "security/identity/credential_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/password_tools.h"

namespace gatehouse::identity {
namespace {

using namespace std::chrono_literals;
using test_support::htpasswd_bcrypt_hash;
using Clock = CredentialCache::Clock;

class CredentialCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    users_ = new UserStore(*UserStore::build({{"alice", htpasswd_bcrypt_hash("a-pass"), {}},
                                              {"bob", htpasswd_bcrypt_hash("b-pass"), {}},
                                              {"carol", htpasswd_bcrypt_hash("c-pass"), {}}}));
  }
  static void TearDownTestSuite() { delete users_; }

  static UserStore* users_;
  Clock::time_point t0 = Clock::now();
};

UserStore* CredentialCacheTest::users_ = nullptr;

TEST_F(CredentialCacheTest, SecondVerificationIsAHit) {
  CredentialCache cache(16, 60s);
  const StoredUser* first = cache.verify(*users_, "alice", "a-pass", t0);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->name, "alice");
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.verify(*users_, "alice", "a-pass", t0 + 1s), first);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(CredentialCacheTest, WrongPasswordAfterARightOneIsAMissAndRefused) {
  CredentialCache cache(16, 60s);
  ASSERT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  EXPECT_EQ(cache.verify(*users_, "alice", "a-pas", t0), nullptr);
  EXPECT_EQ(cache.verify(*users_, "alice", "a-pass ", t0), nullptr);
  EXPECT_EQ(cache.verify(*users_, "bob", "a-pass", t0), nullptr);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 4u);
}

TEST_F(CredentialCacheTest, FailuresAreNotCached) {
  CredentialCache cache(16, 60s);
  EXPECT_EQ(cache.verify(*users_, "alice", "wrong", t0), nullptr);
  EXPECT_EQ(cache.verify(*users_, "alice", "wrong", t0), nullptr);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(CredentialCacheTest, NameAndPasswordBoundaryIsPartOfTheKey) {
  auto store = UserStore::build(
      {{"ab", htpasswd_bcrypt_hash("c"), {}}, {"a", htpasswd_bcrypt_hash("bc"), {}}});
  ASSERT_TRUE(store);
  CredentialCache cache(16, 60s);
  EXPECT_EQ(cache.verify(*store, "ab", "c", t0)->name, "ab");
  EXPECT_EQ(cache.verify(*store, "a", "bc", t0)->name, "a");
  EXPECT_EQ(cache.hits(), 0u);
}

TEST_F(CredentialCacheTest, EntryExpiresAfterTtl) {
  CredentialCache cache(16, 30s);
  ASSERT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0 + 29s), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0 + 30s), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  // Re-verified at t0 + 30s: valid again until t0 + 60s.
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0 + 59s), nullptr);
  EXPECT_EQ(cache.hits(), 2u);
}

TEST_F(CredentialCacheTest, SizeStaysWithinCapacity) {
  CredentialCache cache(2, 60s);
  cache.verify(*users_, "alice", "a-pass", t0);
  cache.verify(*users_, "bob", "b-pass", t0);
  EXPECT_EQ(cache.size(), 2u);
  cache.verify(*users_, "carol", "c-pass", t0);  // full: the cache starts over with carol
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_NE(cache.verify(*users_, "carol", "c-pass", t0), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 4u);
}

TEST_F(CredentialCacheTest, NewStoreEmptiesTheCache) {
  CredentialCache cache(16, 60s);
  ASSERT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  // Alice's password changed in the new store: the old one must stop working at once.
  auto changed = UserStore::build({{"alice", htpasswd_bcrypt_hash("new-pass"), {}}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(cache.verify(*changed, "alice", "a-pass", t0), nullptr);
  EXPECT_NE(cache.verify(*changed, "alice", "new-pass", t0), nullptr);
  EXPECT_EQ(cache.hits(), 0u);
}

TEST_F(CredentialCacheTest, ZeroCapacityCachesNothing) {
  CredentialCache cache(0, 60s);
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  EXPECT_NE(cache.verify(*users_, "alice", "a-pass", t0), nullptr);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace gatehouse::identity
