// The example custom grant (urn:gatehouse:grant-type:downscope): a client narrows a token it
// holds; it cannot widen one, nor narrow another client's, nor outlive the original.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/revocation_endpoint.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::downscope_grant_test {
namespace {

using namespace fixture;

class DownscopeGrantTest : public KeyManagerTest {
 protected:
  OAuthAnswer token(std::string body) {
    return run(TokenEndpoint(context()).handle(
        Request{.body = std::move(body), .authorization = basic("service", secrets_.service.secret)}
            .view()));
  }

  std::string service_token() {
    return string_member(body_of(token(form({{"grant_type", "client_credentials"}}))),
                         "access_token");
  }

  OAuthAnswer downscope_to(const std::string& subject_token, std::string_view scope) {
    return token(
        form({{"grant_type", downscope}, {"subject_token", subject_token}, {"scope", scope}}));
  }
};

TEST_F(DownscopeGrantTest, NarrowsTheScopeAndKeepsSubjectAndExpiry) {
  const std::string broad = service_token();
  now_ += 600;
  const OAuthAnswer answer = downscope_to(broad, "orders:read");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(string_member(body_of(answer), "scope"), "orders:read");
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "service");
  EXPECT_EQ(string_member(*claims, "scope"), "orders:read");
  // Never later than the token it came from, which was issued 600 s earlier.
  EXPECT_EQ(claims->at("exp").as_int64(), now_ - 600 + 3600);
  EXPECT_EQ(body_of(answer).at("expires_in").as_int64(), 3000);
}

TEST_F(DownscopeGrantTest, CannotWidenTheScope) {
  const std::string narrow = string_member(
      body_of(token(form({{"grant_type", "client_credentials"}, {"scope", "orders:read"}}))),
      "access_token");
  const OAuthAnswer answer = downscope_to(narrow, "orders:write");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_scope");
}

TEST_F(DownscopeGrantTest, RefusesATokenThatIsNotAValidOneOfOurs) {
  for (const std::string& subject : {std::string("not.a.token"), service_token() + "x"}) {
    const OAuthAnswer answer = downscope_to(subject, "orders:read");
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(string_member(body_of(answer), "error"), "invalid_grant");
  }
}

TEST_F(DownscopeGrantTest, RefusesARevokedToken) {
  const std::string broad = service_token();
  const OAuthAnswer revoked = run(RevocationEndpoint(context()).handle(Request{
      .body = form({{"token", broad}}), .authorization = basic("service", secrets_.service.secret)}
                                                                           .view()));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(string_member(body_of(downscope_to(broad, "orders:read")), "error"), "invalid_grant");
}

}  // namespace
}  // namespace gatehouse::keymanager::downscope_grant_test
