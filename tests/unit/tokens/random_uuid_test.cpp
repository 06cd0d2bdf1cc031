// The random identifier of an API key's jti and of an application made through the admin
// listener: an RFC 9562 version-4 UUID in its 36-character lowercase form, a new one each call.
#include "security/tokens/random_uuid.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace gatehouse::tokens::random_uuid_test {
namespace {

bool is_lower_hex(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
}

TEST(RandomUuid, IsThe36CharacterFormOfAVersion4Uuid) {
  for (int i = 0; i < 64; ++i) {
    const auto uuid = random_uuid();
    ASSERT_TRUE(uuid) << uuid.error();
    const std::string& text = *uuid;
    ASSERT_EQ(text.size(), 36u) << text;
    for (size_t at = 0; at < text.size(); ++at) {
      if (at == 8 || at == 13 || at == 18 || at == 23) {
        EXPECT_EQ(text[at], '-') << text;
      } else {
        EXPECT_TRUE(is_lower_hex(text[at])) << text << " at " << at;
      }
    }
    EXPECT_EQ(text[14], '4') << text;                                          // the version
    EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;  // variant 10
  }
}

TEST(RandomUuid, EachCallIsANewOne) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto uuid = random_uuid();
    ASSERT_TRUE(uuid) << uuid.error();
    EXPECT_TRUE(seen.insert(*uuid).second) << *uuid;
  }
  // The random bits are not all of one value (a buffer left unfilled would be zeros).
  const auto first = random_uuid();
  const auto second = random_uuid();
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_NE(*first, "00000000-0000-4000-8000-000000000000");
}

}  // namespace
}  // namespace gatehouse::tokens::random_uuid_test
