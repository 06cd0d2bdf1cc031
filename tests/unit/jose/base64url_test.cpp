// Strict unpadded base64url: RFC 4648 test vectors, and every non-canonical form refused.
#include "security/jose/base64url.h"

#include <gtest/gtest.h>

namespace gatehouse::jose {
namespace {

TEST(Base64url, Rfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    EXPECT_EQ(base64url_decode(encoded), plain);
  }
}

TEST(Base64url, UrlAlphabetRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string encoded = base64url_encode(all);
  EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
  EXPECT_EQ(base64url_decode(encoded), all);
  EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
}

TEST(Base64url, RefusesWhatIsNotCanonical) {
  for (const char* wrong : {"Zg==", "Zm8=", "Zg=", "+_8", "/_8", "Zm9v Yg", "Zm9v\nYg", "Z",
                            "Zm9vY", "Zh", "Zm9", "Zm8x!"}) {
    EXPECT_EQ(base64url_decode(wrong).error(), Error::bad_base64) << wrong;
  }
  // "Zh" and "Zm9" carry non-zero bits past the last byte: another spelling of "f" and "fo".
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
  EXPECT_EQ(base64url_decode(std::string_view("Zg\0", 3)).error(), Error::bad_base64);
}

}  // namespace
}  // namespace gatehouse::jose
