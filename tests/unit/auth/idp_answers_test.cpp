#include "security/auth/idp_answers.h"

#include <gtest/gtest.h>

#include <chrono>

namespace gatehouse::security::idp_answers_test {
namespace {

constexpr int64_t now = 1'700'000'000;  // epoch seconds

config::KeyManagerConfig key_manager() {
  config::KeyManagerConfig config;
  config.name = "idp";
  config.issuer = "https://idp.test";
  config.leeway = std::chrono::seconds(30);
  return config;
}

TEST(Discovery, TheJwksUriOfADocumentForTheIssuer) {
  const auto uri = jwks_uri_from_discovery(
      R"({"issuer":"https://idp.test","jwks_uri":"https://idp.test/keys","token_endpoint":"x"})",
      "https://idp.test");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_EQ(*uri, "https://idp.test/keys");
}

TEST(Discovery, RefusesAnotherIssuerEvenOneDifferingOnlyByATrailingSlash) {
  const auto uri = jwks_uri_from_discovery(
      R"({"issuer":"https://idp.test/","jwks_uri":"https://idp.test/keys"})", "https://idp.test");
  ASSERT_FALSE(uri);
  EXPECT_EQ(uri.error(), "the discovery document names another issuer");
}

TEST(Discovery, RefusesWhatIsNoObjectAndAJwksUriThatIsNoString) {
  EXPECT_EQ(jwks_uri_from_discovery(R"(["https://idp.test"])", "https://idp.test").error(),
            "the discovery document is not a JSON object");
  EXPECT_EQ(jwks_uri_from_discovery("{\"issuer\":", "https://idp.test").error(),
            "the discovery document is not a JSON object");
  EXPECT_EQ(jwks_uri_from_discovery(R"({"issuer":"https://idp.test","jwks_uri":["a"]})",
                                    "https://idp.test")
                .error(),
            "the discovery document has no jwks_uri");
}

TEST(IntrospectionAnswer, AnActiveTokenWithinItsTimesGivesItsClaims) {
  const auto answer = read_introspection_answer(
      R"({"active":true,"sub":"alice","scope":"read","exp":1700000100,"nbf":1699999990})",
      key_manager(), now);
  ASSERT_TRUE(answer) << answer.error().reason;
  EXPECT_EQ(answer->at("sub").as_string(), "alice");
}

TEST(IntrospectionAnswer, AnInactiveOrUnsaidActiveTokenIsInvalid) {
  for (const char* text : {R"({"active":false})", R"({"active":"true"})", R"({"sub":"a"})"}) {
    const auto answer = read_introspection_answer(text, key_manager(), now);
    ASSERT_FALSE(answer) << text;
    EXPECT_EQ(answer.error().failure, AuthFailure::invalid_credentials) << text;
    EXPECT_EQ(answer.error().reason, "the token is not active") << text;
  }
}

TEST(IntrospectionAnswer, ExpAndNbfAreHeldToTheLeeway) {
  // Expired 29 s ago: within the 30 s leeway. 31 s ago: not.
  EXPECT_TRUE(read_introspection_answer(R"({"active":true,"exp":1699999971})", key_manager(), now));
  const auto expired =
      read_introspection_answer(R"({"active":true,"exp":1699999969})", key_manager(), now);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().failure, AuthFailure::invalid_credentials);
  EXPECT_FALSE(
      read_introspection_answer(R"({"active":true,"nbf":1700000031})", key_manager(), now));
}

TEST(IntrospectionAnswer, AudiencesAreCheckedOnlyWhenConfigured) {
  const char* text = R"({"active":true,"aud":["other","gateway"]})";
  EXPECT_TRUE(read_introspection_answer(text, key_manager(), now));
  config::KeyManagerConfig config = key_manager();
  config.audiences = {"gateway"};
  EXPECT_TRUE(read_introspection_answer(text, config, now));
  config.audiences = {"shop"};
  EXPECT_FALSE(read_introspection_answer(text, config, now));
}

TEST(IntrospectionAnswer, AnAnswerThatIsNoJsonObjectMeansTheKeyManagerCouldNotBeAsked) {
  for (const char* text : {"", "<html>", R"([{"active":true}])", R"("active")"}) {
    const auto answer = read_introspection_answer(text, key_manager(), now);
    ASSERT_FALSE(answer) << text;
    EXPECT_EQ(answer.error().failure, AuthFailure::key_manager_unreachable) << text;
    EXPECT_EQ(answer.error().reason,
              "key manager 'idp' answered the introspection with no JSON object");
  }
}

}  // namespace
}  // namespace gatehouse::security::idp_answers_test
