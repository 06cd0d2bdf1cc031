// The `resident` key manager introspects the built-in key manager's opaque tokens in memory: from
// the table the key manager writes, with the checks of any introspection answer, and a token
// removed from the table is refused by the next lookup.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <ctime>
#include <optional>

#include "security/auth/key_manager.h"
#include "security/auth/resident_opaque_tokens.h"
#include "security/jose/sha256.h"

namespace gatehouse::security::resident_introspection_test {
namespace {

namespace json = boost::json;

class ResidentIntrospectionTest : public ::testing::Test {
 protected:
  ResidentIntrospectionTest() {
    config_.name = "resident";
    config_.issuer = "https://km.example";
    config_.resident = true;
  }

  void issue(std::string_view token, json::object claims) {
    tokens_->insert(jose::sha256(token), std::make_shared<const json::object>(std::move(claims)),
                    now_ + 60);
  }

  std::expected<json::object, AuthError> introspect(const KeyManager& manager,
                                                    std::string_view token) const {
    boost::asio::io_context io;
    std::optional<std::expected<json::object, AuthError>> answer;
    boost::asio::co_spawn(io, manager.introspect(token, now_),
                          [&](std::exception_ptr, std::expected<json::object, AuthError> result) {
                            answer = std::move(result);
                          });
    io.run();
    return std::move(answer.value());
  }

  json::object alices() const {
    return json::object{{"iss", config_.issuer}, {"sub", "alice"}, {"aud", config_.issuer},
                        {"exp", now_ + 60},      {"jti", "jti-1"}, {"client_id", "shop"},
                        {"scope", "read"},       {"iat", now_}};
  }

  config::KeyManagerConfig config_;
  std::shared_ptr<ResidentOpaqueTokens> tokens_ = std::make_shared<ResidentOpaqueTokens>();
  int64_t now_ = std::time(nullptr);
};

TEST_F(ResidentIntrospectionTest, ALiveTokenIsAnsweredFromTheTable) {
  const auto manager = KeyManager::create(config_, 1, {.opaque_tokens = tokens_});
  ASSERT_TRUE(manager.has_value());
  EXPECT_TRUE((*manager)->introspects()) << "without an introspection endpoint configured";
  issue("gat_alice", alices());
  const auto answer = introspect(**manager, "gat_alice");
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  EXPECT_EQ(*answer, alices());
}

TEST_F(ResidentIntrospectionTest, AnUnknownOrRemovedTokenIsRefused) {
  const auto manager = KeyManager::create(config_, 1, {.opaque_tokens = tokens_});
  ASSERT_TRUE(manager.has_value());
  issue("gat_alice", alices());
  const auto unknown = introspect(**manager, "gat_bob");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().failure, AuthFailure::invalid_credentials);

  tokens_->erase(jose::sha256("gat_alice"));
  const auto removed = introspect(**manager, "gat_alice");
  ASSERT_FALSE(removed.has_value());
  EXPECT_EQ(removed.error().failure, AuthFailure::invalid_credentials);
}

TEST_F(ResidentIntrospectionTest, TheConfiguredAudiencesApplyAsToAnyAnswer) {
  config_.audiences = {"https://shop.example"};
  const auto manager = KeyManager::create(config_, 1, {.opaque_tokens = tokens_});
  ASSERT_TRUE(manager.has_value());
  issue("gat_alice", alices());
  json::object for_the_shop = alices();
  for_the_shop["aud"] = "https://shop.example";
  issue("gat_shop", for_the_shop);
  EXPECT_FALSE(introspect(**manager, "gat_alice").has_value());
  EXPECT_TRUE(introspect(**manager, "gat_shop").has_value());
}

TEST_F(ResidentIntrospectionTest, WithoutTheKeyManagersTableItsTokensAreRefused) {
  const auto manager = KeyManager::create(config_, 1);
  ASSERT_TRUE(manager.has_value());
  issue("gat_alice", alices());
  EXPECT_FALSE(introspect(**manager, "gat_alice").has_value());
}

}  // namespace
}  // namespace gatehouse::security::resident_introspection_test
