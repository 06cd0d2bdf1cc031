#include "policies/auth/credentials.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::policies::auth {
namespace {

Credentials basic(const std::string& value) {
  http::RequestHead head;
  head.headers.emplace_back("Authorization", value);
  return find_credentials(head, CredentialSources{.basic = true});
}

TEST(BasicCredentials, AreDecoded) {
  const Credentials credentials = basic("Basic YWxpY2U6czNjcmV0");  // alice:s3cret
  ASSERT_EQ(credentials.kind, CredentialKind::basic);
  EXPECT_EQ(credentials.user, "alice");
  EXPECT_EQ(credentials.password, "s3cret");
}

// A value of 4n+2 or 4n+3 characters once made the decoder write past its buffer before the
// length was checked (the ASan build of this test shows it).
TEST(BasicCredentials, ALongValueCutShortOfAGroupIsMalformed) {
  for (const size_t length : {62u, 63u, 258u, 259u}) {
    const Credentials credentials = basic("Basic " + std::string(length, 'Q'));
    EXPECT_EQ(credentials.kind, CredentialKind::malformed) << length;
    EXPECT_EQ(credentials.problem, "Basic credentials are not base64") << length;
  }
}

}  // namespace
}  // namespace gatehouse::policies::auth
