// The process's key managers across reloads: the same settings give back the same key manager
// (with whatever keys its workers fetched) for as long as a snapshot uses it; anything else, or
// keys read from files, gives a new one.
#include <gtest/gtest.h>

#include <memory>

#include "security/auth/key_managers.h"

namespace gatehouse::security {
namespace {

config::KeyManagerConfig remote(int line = 1) {
  config::KeyManagerConfig config;
  config.name = "idp";
  config.issuer = "https://idp.example";
  config.jwks_uri = "https://idp.example/jwks";
  config.location = {"gatehouse.yaml", line, 3};
  return config;
}

TEST(KeyManagers, AReloadWithTheSameSettingsKeepsTheKeyManager) {
  KeyManagers kept;
  std::shared_ptr<KeyManager> first = *kept.obtain(remote(), 2);
  // Only where it is written changed (lines were added above it).
  std::shared_ptr<KeyManager> again = *kept.obtain(remote(40), 2);
  EXPECT_EQ(first, again);
}

TEST(KeyManagers, ChangedSettingsOrWorkersGiveANewKeyManager) {
  KeyManagers kept;
  std::shared_ptr<KeyManager> first = *kept.obtain(remote(), 2);
  config::KeyManagerConfig moved = remote();
  moved.jwks_uri = "https://idp.example/keys";
  std::shared_ptr<KeyManager> second = *kept.obtain(moved, 2);
  EXPECT_NE(first, second);
  EXPECT_NE(second, *kept.obtain(moved, 4));
  config::KeyManagerConfig introspecting = moved;
  introspecting.introspection = config::IntrospectionConfig{"https://idp.example/i", "gw", "s"};
  EXPECT_NE(*kept.obtain(moved, 4), *kept.obtain(introspecting, 4));
}

TEST(KeyManagers, AKeyManagerNoSnapshotUsesIsNotKept) {
  KeyManagers kept;
  std::weak_ptr<KeyManager> dropped = *kept.obtain(remote(), 2);
  EXPECT_TRUE(dropped.expired());  // nothing held it
  EXPECT_NE(*kept.obtain(remote(), 2), nullptr);
}

TEST(KeyManagers, KeysFromAFileAreReadAgainAtEachReload) {
  KeyManagers kept;
  config::KeyManagerConfig local = remote();
  local.jwks_uri.clear();
  local.hmac_secret = "0123456789abcdef0123456789abcdef";
  std::shared_ptr<KeyManager> first = *kept.obtain(local, 1);
  EXPECT_EQ(first, *kept.obtain(local, 1));  // no file: kept
  local.ca_file = "/etc/ssl/certs/ca-certificates.crt";
  EXPECT_NE(first, *kept.obtain(local, 1));
}

}  // namespace
}  // namespace gatehouse::security
