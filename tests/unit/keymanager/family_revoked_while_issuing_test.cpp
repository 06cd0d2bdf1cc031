// The tokens of a grant whose family was revoked while it issued them (its code reused meanwhile)
// are never handed out: the store refuses to record them, and the grant fails.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/family_revocation.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager::family_revoked_while_issuing_test {
namespace {

using namespace fixture;

using FamilyRevokedWhileIssuingTest = KeyManagerTest;

// A code reused while its first redemption records its tokens revokes the family before they are
// in it: recording them then fails, and the grant hands out nothing.
TEST_F(FamilyRevokedWhileIssuingTest, AGrantWhoseFamilyWasRevokedMeanwhileIssuesNothing) {
  const std::string family = new_family();
  ASSERT_TRUE(run(revoke_family(context(), family)));
  const Client& app = *context().clients()->find("app");
  const auto issued = run(issue_in_family(
      context(), app, FamilyGrant{.family = family, .subject = "alice", .scope = "openid"}, now_,
      {}));
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, OAuthErrorCode::invalid_grant);
}

}  // namespace
}  // namespace gatehouse::keymanager::family_revoked_while_issuing_test
