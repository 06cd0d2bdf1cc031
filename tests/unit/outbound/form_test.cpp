#include "outbound/form.h"

#include <gtest/gtest.h>

namespace gatehouse::outbound {
namespace {

TEST(FormEncode, KeepsUnreservedAndEncodesEverythingElse) {
  EXPECT_EQ(form_encode("AZaz09*-._"), "AZaz09*-._");
  EXPECT_EQ(form_encode("a b"), "a+b");
  EXPECT_EQ(form_encode("a+b&c=d/e?f#g%h~i"), "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h%7Ei");
  EXPECT_EQ(form_encode(std::string_view("\0\n\x7f", 3)), "%00%0A%7F");
  EXPECT_EQ(form_encode("é"), "%C3%A9");  // UTF-8 bytes
  EXPECT_EQ(form_encode(""), "");
}

TEST(FormEncode, JoinsFieldsInOrder) {
  EXPECT_EQ(form_encode(FormFields{{"token", "a.b c"}, {"token_type_hint", "access_token"}}),
            "token=a.b+c&token_type_hint=access_token");
  EXPECT_EQ(form_encode(FormFields{}), "");
  EXPECT_EQ(form_encode(FormFields{{"k", ""}}), "k=");
}

TEST(BasicAuthorization, EncodesIdAndSecret) {
  // base64("app-client:app-secret")
  EXPECT_EQ(basic_authorization("app-client", "app-secret"), "Basic YXBwLWNsaWVudDphcHAtc2VjcmV0");
  // A ":" in the id is form-encoded (RFC 6749 2.3.1): base64("a%3Ab:c+d")
  EXPECT_EQ(basic_authorization("a:b", "c d"), "Basic YSUzQWI6Yytk");
  EXPECT_EQ(basic_authorization("", ""), "Basic Og==");
}

}  // namespace
}  // namespace gatehouse::outbound
