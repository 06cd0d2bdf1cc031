// The signing keys' rotation: the new key signs, the previous ones stay listed and verifying until
// every token they signed has expired, then go; all of it kept across a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "key_manager_fixture.h"
#include "keymanager/server/introspection_endpoint.h"
#include "keymanager/server/key_ring.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::key_rotation_test {
namespace {

using namespace fixture;
using std::chrono::hours;

class KeyRotationTest : public KeyManagerTest {
 protected:
  Request as_service(std::string body) const {
    return Request{.body = std::move(body),
                   .authorization = basic("service", secrets_.service.secret)};
  }

  std::string service_token() {
    const OAuthAnswer answer = run(TokenEndpoint(context()).handle(
        as_service(form({{"grant_type", "client_credentials"}})).view()));
    EXPECT_EQ(answer.status, 200) << answer.body;
    return string_member(body_of(answer), "access_token");
  }

  bool active(std::string_view token) {
    const OAuthAnswer answer =
        run(IntrospectionEndpoint(context()).handle(as_service(form({{"token", token}})).view()));
    return body_of(answer).at("active") == true;
  }

  std::vector<std::string> listed_kids() {
    std::vector<std::string> kids;
    for (const json::value& key : context().keys()->jwks().at("keys").as_array()) {
      kids.push_back(string_member(key.as_object(), "kid"));
    }
    return kids;
  }

  std::string rotate() {
    const auto ring = context().rotate_keys();
    EXPECT_TRUE(ring) << ring.error().describe();
    return ring ? (*ring)->kid() : std::string();
  }
};

std::string kid_of(const std::string& token) {
  const auto jws = jose::decode_jws(token);
  return jws ? std::string(jws->kid()) : std::string();
}

TEST_F(KeyRotationTest, TheNewKeySignsAndThePreviousOneStaysListedAndVerifying) {
  const std::string before = context().keys()->kid();
  const std::string token_a = service_token();
  const std::string after = rotate();
  ASSERT_NE(after, before);
  EXPECT_EQ(context().keys()->alg(), jose::Alg::RS256);
  const std::string token_b = service_token();
  EXPECT_EQ(kid_of(token_a), before);
  EXPECT_EQ(kid_of(token_b), after);
  EXPECT_EQ(listed_kids(), (std::vector<std::string>{before, after}));
  EXPECT_TRUE(active(token_a));
  EXPECT_TRUE(active(token_b));
  EXPECT_TRUE(verified_claims(token_a));
  EXPECT_TRUE(verified_claims(token_b));
}

TEST_F(KeyRotationTest, ARestartKeepsTheRotatedRing) {
  const std::string before = context().keys()->kid();
  const std::string after = rotate();
  start();
  EXPECT_EQ(context().keys()->kid(), after);
  EXPECT_EQ(listed_kids(), (std::vector<std::string>{before, after}));
}

TEST_F(KeyRotationTest, ARetiredKeyGoesOnceTheLongestTokenLifetimeHasPassed) {
  // A client whose tokens live two hours: the key stays that long, not the others' one hour.
  extra_clients_.push_back(Client{.client_id = "batch",
                                  .public_client = true,
                                  .grant_types = {"client_credentials"},
                                  .access_token_lifetime = hours(2)});
  start();
  const std::string before = context().keys()->kid();
  const std::string after = rotate();
  const UnixSeconds rotated_at = now_;
  EXPECT_EQ(context().retired_key_lifetime(), hours(2) + std::chrono::minutes(5));

  now_ = rotated_at + 2 * 3600;
  ASSERT_TRUE(context().maintain_keys());
  EXPECT_EQ(listed_kids(), (std::vector<std::string>{before, after}));

  now_ = rotated_at + context().retired_key_lifetime().count();
  const auto changed = context().maintain_keys();
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed);
  EXPECT_EQ(listed_kids(), std::vector<std::string>{after});
  EXPECT_EQ(context().keys()->kid(), after);
  const auto records = store_->run_blocking([](GrantStore& store) { return store.signing_keys(); });
  ASSERT_TRUE(records);
  EXPECT_EQ(records->size(), 1u);
}

TEST_F(KeyRotationTest, TheScheduleRotatesOnceTheIntervalHasPassedSinceTheKeyWasMade) {
  signing_key_rotation_ = std::chrono::days(30);
  start();
  const std::string before = context().keys()->kid();
  now_ += 30 * 86'400 - 1;
  auto changed = context().maintain_keys();
  ASSERT_TRUE(changed);
  EXPECT_FALSE(*changed);
  now_ += 1;
  changed = context().maintain_keys();
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed);
  const std::string after = context().keys()->kid();
  EXPECT_NE(after, before);
  EXPECT_EQ(listed_kids(), (std::vector<std::string>{before, after}));
}

TEST_F(KeyRotationTest, ARotationMakesAKeyOfTheSettingsAlgAndTheOldOneStillVerifies) {
  const std::string token = service_token();
  signing_alg_ = jose::Alg::ES256;
  start();
  EXPECT_EQ(context().keys()->alg(), jose::Alg::RS256);  // the store's key signs until then
  ASSERT_TRUE(context().rotate_keys());
  EXPECT_EQ(context().keys()->alg(), jose::Alg::ES256);
  EXPECT_TRUE(verified_claims(token));
  EXPECT_TRUE(verified_claims(service_token()));
}

TEST_F(KeyRotationTest, ReadersSeeOneWholeRingWhileItIsSwapped) {
  std::atomic<bool> done = false;
  std::atomic<int> torn = 0;
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!done.load()) {
        // The ring a request took stays whole: its signing key is among the keys it verifies with.
        const std::shared_ptr<const KeyRing> ring = context_->keys();
        if (!ring->verification_keys().find(ring->kid())) ++torn;
      }
    });
  }
  for (int i = 0; i < 3; ++i) rotate();
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(listed_kids().size(), 4u);
}

}  // namespace
}  // namespace gatehouse::keymanager::key_rotation_test
