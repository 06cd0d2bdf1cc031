#include "policies/auth/credentials.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::policies::auth {
namespace {

TEST(BasicCredentials, AreDecoded) {
  const auto credentials = decode_basic("YWxpY2U6czNjcmV0");  // alice:s3cret
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->user, "alice");
  EXPECT_EQ(credentials->password, "s3cret");
}

// A value of 4n+2 or 4n+3 characters once made the decoder write past its buffer before the
// length was checked (the ASan build of this test shows it).
TEST(BasicCredentials, ALongValueCutShortOfAGroupIsMalformed) {
  for (const size_t length : {62u, 63u, 258u, 259u}) {
    const auto credentials = decode_basic(std::string(length, 'Q'));
    ASSERT_FALSE(credentials) << length;
    EXPECT_EQ(credentials.error(), "Basic credentials are not base64") << length;
  }
}

TEST(QueryParameters, AreFoundByTheirWholeName) {
  EXPECT_EQ(query_parameter("a=1&apikey=k&b=2", "apikey"), "k");
  EXPECT_EQ(query_parameter("myapikey=k", "apikey"), std::nullopt);
}

}  // namespace
}  // namespace gatehouse::policies::auth
