#include "admin/revocation_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "observability/metrics.h"
#include "security/auth/bearer_validator.h"
#include "security/auth/revocations.h"
#include "security/jose/base64url.h"
#include "security/jose/sha256.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

constexpr int64_t t0 = 1'700'000'000;

// One worker whose posted inserts run at once: these tests are about the admin's answers.
class RevocationRoutesTest : public ::testing::Test {
 protected:
  security::Revocations revocations_{1,
                                     [](size_t, std::function<void()> task) { task(); },
                                     {.capacity = 3, .default_ttl = std::chrono::hours(1)}};
  observability::Metrics metrics_{1, "test"};

  AdminResponse route(std::string_view method, std::string_view body = {}) {
    return route_admin_request({method, "/revocations", body},
                               {metrics_, [] { return true; }, &revocations_});
  }
};

json::object body_of(const AdminResponse& response) {
  EXPECT_EQ(response.content_type, "application/json");
  return json::parse(response.body).as_object();
}

TEST_F(RevocationRoutesTest, AJtiIsRevokedWith202AndListed) {
  const AdminResponse response =
      revoke_from_json(R"({"jti": "jti-1", "expires_at": 1700000600})", revocations_, t0);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(body_of(response), (json::object{{"revoked", "jti"}, {"expires_at", t0 + 600}}));
  EXPECT_TRUE(revocations_.revoked(jose::sha256("any"), "jti-1", t0));

  const json::object listed = body_of(list_revocations(revocations_, t0));
  EXPECT_EQ(json::serialize(listed),
            R"({"jtis":[{"jti":"jti-1","expires_at":1700000600}],"tokens":0})");
}

TEST_F(RevocationRoutesTest, ATokenIsRevokedByItsHashAndNeverEchoedOrListed) {
  const std::string token = "eyJhbGciOiJSUzI1NiJ9.secret-payload.signature";
  const AdminResponse response = revoke_from_json(
      json::serialize(json::object{{"token", token}, {"expires_at", t0 + 60}}), revocations_, t0);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_THAT(response.body, ::testing::Not(HasSubstr("secret-payload")));
  EXPECT_TRUE(revocations_.revoked(jose::sha256(token), "", t0));
  EXPECT_FALSE(revocations_.revoked(jose::sha256(token + "x"), "", t0));

  const AdminResponse listed = list_revocations(revocations_, t0);
  EXPECT_EQ(listed.body, R"({"jtis":[],"tokens":1})");
}

TEST_F(RevocationRoutesTest, TheRouterServesPostAndGetAndNamesThemIn405) {
  EXPECT_EQ(route("POST", R"({"jti": "jti-1"})").status, 202);
  const AdminResponse listed = route("GET");
  EXPECT_EQ(listed.status, 200);
  EXPECT_THAT(listed.body, HasSubstr(R"("jti":"jti-1")"));
  const AdminResponse refused = route("DELETE");
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.allow, "GET, HEAD, POST");
}

TEST_F(RevocationRoutesTest, WithoutRevocationsThePathIsNotServed) {
  const AdminResponse response = route_admin_request({"POST", "/revocations", R"({"jti": "j"})"},
                                                     {metrics_, [] { return true; }});
  EXPECT_EQ(response.status, 404);
}

TEST_F(RevocationRoutesTest, BadBodiesAre400WithTheJsonErrorAndRevokeNothing) {
  for (const std::string_view body : {
           "",
           "not json",
           R"(["jti-1"])",
           R"({})",
           R"({"jti": "a", "token": "b"})",
           R"({"jti": ""})",
           R"({"jti": 42})",
           R"({"token": null})",
           R"({"jti": "a", "jti": "b"})",
           R"({"jti": "a", "reason": "leaked"})",
           R"({"jti": "a", "expires_at": "tomorrow"})",
           R"({"jti": "a", "expires_at": -5})",
           R"({"jti": "a", "expires_at": 1.5e9})",
           R"({"jti": "a", "expires_at": 1699999999})",
       }) {
    const AdminResponse response = revoke_from_json(body, revocations_, t0);
    EXPECT_EQ(response.status, 400) << body;
    const json::object error = body_of(response);
    EXPECT_EQ(error.at("code"), 400) << body;
    EXPECT_FALSE(error.at("description").as_string().empty()) << body;
  }
  EXPECT_EQ(revocations_.recorded().size(), 0u);
}

TEST_F(RevocationRoutesTest, AnOverlongJtiIs400) {
  const std::string body = R"({"jti": ")" + std::string(257, 'j') + R"("})";
  EXPECT_EQ(revoke_from_json(body, revocations_, t0).status, 400);
  const std::string fits = R"({"jti": ")" + std::string(256, 'j') + R"("})";
  EXPECT_EQ(revoke_from_json(fits, revocations_, t0).status, 202);
}

TEST_F(RevocationRoutesTest, AFullListIs507CountedAndForgetsNothingLive) {
  for (const char* jti : {"a", "b", "c"}) {
    const std::string body = std::string(R"({"jti": ")") + jti + R"(", "expires_at": 1700000600})";
    ASSERT_EQ(revoke_from_json(body, revocations_, t0).status, 202);
  }
  const AdminResponse full = revoke_from_json(R"({"jti": "d"})", revocations_, t0);
  EXPECT_EQ(full.status, 507);
  EXPECT_EQ(body_of(full).at("code"), 507);
  EXPECT_THAT(std::string(body_of(full).at("description").as_string()),
              HasSubstr("capacity of 3 revocations"));
  for (const char* jti : {"a", "b", "c"}) {
    EXPECT_TRUE(revocations_.revoked(jose::sha256("t"), jti, t0)) << jti;
  }
  EXPECT_FALSE(revocations_.revoked(jose::sha256("t"), "d", t0));
  EXPECT_EQ(revocations_.refused(), 1u);
  const std::string metrics = revocation_metrics(revocations_, t0);
  EXPECT_THAT(metrics, HasSubstr("\ngatehouse_revocations 3\n"));
  EXPECT_THAT(metrics, HasSubstr("\ngatehouse_revocations_capacity 3\n"));
  EXPECT_THAT(metrics, HasSubstr("\ngatehouse_revocations_refused_total 1\n"));

  // Once those have expired, they make room.
  EXPECT_EQ(revoke_from_json(R"({"jti": "d"})", revocations_, t0 + 600).status, 202);
  EXPECT_THAT(revocation_metrics(revocations_, t0 + 600), HasSubstr("\ngatehouse_revocations 1\n"));
}

// A JWS in compact form with these claims; the signature is never looked at.
std::string jwt_with(const json::object& claims) {
  return "eyJhbGciOiJSUzI1NiJ9." + jose::base64url_encode(json::serialize(claims)) + ".c2ln";
}

TEST_F(RevocationRoutesTest, ATokenIsKeptUntilItsOwnExpiryPlusTheGrace) {
  const std::string token = jwt_with({{"sub", "x"}, {"exp", t0 + 7 * 86400}});
  const AdminResponse response =
      revoke_from_json(json::serialize(json::object{{"token", token}}), revocations_, t0, 30);
  ASSERT_EQ(response.status, 202) << response.body;
  // Beyond the one-hour default: a week-long token stays revoked for its whole life.
  EXPECT_EQ(body_of(response).at("expires_at"), t0 + 7 * 86400 + 30);
  EXPECT_TRUE(revocations_.revoked(jose::sha256(token), "", t0 + 7 * 86400 + 29));
}

TEST_F(RevocationRoutesTest, TheLaterOfExpiresAtAndTheTokensExpiryWins) {
  const std::string token = jwt_with({{"exp", t0 + 100}});
  const auto kept_until = [&](int64_t expires_at) {
    return body_of(revoke_from_json(
                       json::serialize(json::object{{"token", token}, {"expires_at", expires_at}}),
                       revocations_, t0))
        .at("expires_at");
  };
  EXPECT_EQ(kept_until(t0 + 50), t0 + 100);
  EXPECT_EQ(kept_until(t0 + 500), t0 + 500);
}

TEST_F(RevocationRoutesTest, WithoutAnyExpiryTheMaxLifetimeApplies) {
  for (const char* body :
       {R"({"jti": "j"})", R"({"token": "opaque-token"})", R"({"token": "a.bm90IGpzb24.c"})"}) {
    const AdminResponse response = revoke_from_json(body, revocations_, t0);
    ASSERT_EQ(response.status, 202) << body;
    EXPECT_EQ(body_of(response).at("expires_at"), t0 + 3600) << body;
  }
}

}  // namespace
}  // namespace gatehouse::admin
