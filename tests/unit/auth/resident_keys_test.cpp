// The `resident` key manager verifies with the built-in key manager's keys as they are now: a
// rotation swaps them in, with no new key manager and no reload.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <ctime>
#include <optional>

#include "security/auth/key_manager.h"
#include "security/auth/resident_keys.h"
#include "security/jose/sign.h"

namespace gatehouse::security {
namespace {

jose::Key p256_key(std::string kid) {
  auto key = jose::Key::adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), true);
  EXPECT_TRUE(key.has_value());
  key->kid = std::move(kid);
  return std::move(*key);
}

std::shared_ptr<const jose::KeySet> set_of(const jose::Key& key) {
  return std::make_shared<const jose::KeySet>(std::vector<jose::Key>{key});
}

class ResidentKeysTest : public ::testing::Test {
 protected:
  ResidentKeysTest() {
    config_.name = "resident";
    config_.issuer = "https://km.example";
    config_.resident = true;
  }

  std::string token_of(const jose::Key& key) const {
    const boost::json::object claims{
        {"iss", config_.issuer}, {"sub", "alice"}, {"exp", std::time(nullptr) + 60}};
    return *jose::sign_jwt(claims, key, jose::Alg::ES256, key.kid);
  }

  bool accepted(const KeyManager& manager, const std::string& token) const {
    const auto jws = jose::decode_jws(token);
    EXPECT_TRUE(jws.has_value());
    boost::asio::io_context io;
    std::optional<bool> verified;
    boost::asio::co_spawn(io, manager.verify(*jws, std::time(nullptr)),
                          [&](std::exception_ptr, std::expected<void, AuthError> result) {
                            verified = result.has_value();
                          });
    io.run();
    return verified.value_or(false);
  }

  config::KeyManagerConfig config_;
};

TEST_F(ResidentKeysTest, ARotationIsSeenByTheSameKeyManager) {
  const jose::Key previous = p256_key("previous");
  const jose::Key next = p256_key("next");
  const auto keys = std::make_shared<ResidentKeys>(set_of(previous));
  const auto manager = KeyManager::create(config_, 1, {.keys = keys});
  ASSERT_TRUE(manager.has_value());
  EXPECT_TRUE(accepted(**manager, token_of(previous)));
  EXPECT_FALSE(accepted(**manager, token_of(next)));

  keys->replace(std::make_shared<const jose::KeySet>(std::vector<jose::Key>{previous, next}));
  EXPECT_TRUE(accepted(**manager, token_of(previous)));
  EXPECT_TRUE(accepted(**manager, token_of(next)));

  keys->replace(set_of(next));  // the previous key's tokens have expired: it is gone
  EXPECT_FALSE(accepted(**manager, token_of(previous)));
  EXPECT_TRUE(accepted(**manager, token_of(next)));
}

TEST_F(ResidentKeysTest, WithoutTheKeyManagersKeysItsTokensAreRefused) {
  const auto manager = KeyManager::create(config_, 1);
  ASSERT_TRUE(manager.has_value());
  EXPECT_FALSE(accepted(**manager, token_of(p256_key("any"))));
}

}  // namespace
}  // namespace gatehouse::security
