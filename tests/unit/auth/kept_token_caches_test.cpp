// The token caches across reloads: the same validators give back the same caches (with the tokens
// the workers validated) for as long as a snapshot uses them; any change of key manager, gateway
// key, cache settings or workers gives empty ones, so that no token is admitted on a validation
// made under other rules.
#include <gtest/gtest.h>

#include "security/auth/kept_token_caches.h"

namespace gatehouse::security {
namespace {

TokenValidators validators() {
  // Only compared, never called: any distinct addresses stand for distinct key managers.
  static const int first = 0, second = 0;
  return {.key_managers = {reinterpret_cast<const KeyManager*>(&first),
                           reinterpret_cast<const KeyManager*>(&second)},
          .gateway_key_id = "kid-1",
          .settings = {},
          .workers = 2};
}

TEST(KeptTokenCaches, TheSameValidatorsKeepTheCaches) {
  KeptTokenCaches kept;
  std::shared_ptr<TokenCaches> first = kept.obtain(validators());
  EXPECT_EQ(first->size(), 2u);
  EXPECT_EQ(kept.obtain(validators()), first);
}

TEST(KeptTokenCaches, AnyChangeGivesNewCaches) {
  KeptTokenCaches kept;
  std::shared_ptr<TokenCaches> first = kept.obtain(validators());
  TokenValidators one_key_manager = validators();
  one_key_manager.key_managers.pop_back();
  EXPECT_NE(kept.obtain(one_key_manager), first);
  TokenValidators other_key = validators();
  other_key.gateway_key_id = "kid-2";
  std::shared_ptr<TokenCaches> second = kept.obtain(other_key);
  EXPECT_NE(second, first);
  TokenValidators shorter = other_key;
  shorter.settings.max_ttl = std::chrono::seconds(1);
  EXPECT_NE(kept.obtain(shorter), second);
  TokenValidators more_workers = shorter;
  more_workers.workers = 4;
  EXPECT_EQ(kept.obtain(more_workers)->size(), 4u);
}

TEST(KeptTokenCaches, CachesNoSnapshotUsesAreNotKept) {
  KeptTokenCaches kept;
  std::weak_ptr<TokenCaches> first = kept.obtain(validators());
  EXPECT_TRUE(first.expired());  // the last snapshot that used them is gone
  std::shared_ptr<TokenCaches> again = kept.obtain(validators());
  EXPECT_EQ(again->local().size(), 0u);
}

}  // namespace
}  // namespace gatehouse::security
