// Decoding limits and the parts a caller reads; the attack matrix itself is in vectors_test.cpp.
#include "security/jose/jws.h"

#include <gtest/gtest.h>

#include <chrono>

#include "security/jose/base64url.h"
#include "security/jose/jwk.h"
#include "security/jose/verify.h"

namespace gatehouse::jose {
namespace {

std::string token(std::string_view header, std::string_view payload, std::string_view sig = "") {
  return base64url_encode(header) + "." + base64url_encode(payload) + "." + base64url_encode(sig);
}

TEST(Jws, ExposesItsParts) {
  const std::string text =
      token(R"({"alg":"ES256","kid":"k1","typ":"at+jwt","x":1})", R"({"sub":"s"})", "sig");
  const Result<Jws> jws = decode_jws(text);
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->alg(), Alg::ES256);
  EXPECT_EQ(jws->kid(), "k1");
  EXPECT_EQ(jws->typ(), "at+jwt");
  EXPECT_EQ(jws->header().at("x"), 1);
  EXPECT_EQ(jws->payload().at("sub"), "s");
  EXPECT_EQ(jws->signature(), "sig");
  EXPECT_EQ(jws->signing_input(), text.substr(0, text.rfind('.')));
}

TEST(Jws, SizeLimitComesFirst) {
  // A huge token of garbage is refused for its size, before any decoding.
  const std::string huge(1 << 20, '*');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(decode_jws(huge).error(), Error::too_large);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(5));
  const std::string small = token(R"({"alg":"HS256"})", "{}");
  EXPECT_TRUE(decode_jws(small, {.max_token_bytes = small.size()}));
  EXPECT_EQ(decode_jws(small, {.max_token_bytes = small.size() - 1}).error(), Error::too_large);
}

TEST(Jws, HeaderRules) {
  EXPECT_EQ(decode_jws(token(R"({"alg":"HS256","kid":7})", "{}")).error(), Error::malformed);
  EXPECT_EQ(decode_jws(token(R"({"alg":256})", "{}")).error(), Error::malformed);
  EXPECT_EQ(decode_jws(token(R"({"alg":"HS256","b64":"false"})", "{}")).error(),
            Error::b64_unsupported);
  EXPECT_TRUE(decode_jws(token(R"({"alg":"HS256","b64":true})", "{}")));
  EXPECT_EQ(decode_jws(token(R"({"alg":"HS256","crit":[]})", "{}")).error(),
            Error::crit_unsupported);
  EXPECT_EQ(decode_jws("..").error(), Error::bad_json);
  EXPECT_EQ(decode_jws("").error(), Error::malformed);
  EXPECT_EQ(decode_jws(token(R"({"alg":"HS256"})", "[]")).error(), Error::bad_json);
}

TEST(Verify, TokenWithoutKidNeedsAOneKeySet) {
  const std::string secret(32, 'q');
  const std::string jwks = R"({"keys":[{"kty":"oct","k":")" + base64url_encode(secret) + R"("}]})";
  const Result<KeySet> one = parse_jwks(jwks);
  ASSERT_TRUE(one);
  // A hand-made HS256 token (the matrix of vectors_test.cpp has its own, from PyJWT).
  // The Jws views into its token: the token must outlive it.
  const std::string compact = token(R"({"alg":"HS256"})", "{}", "x");
  const Result<Jws> unsigned_jws = decode_jws(compact);
  EXPECT_EQ(verify(*unsigned_jws, *one).error(), Error::bad_signature);
  EXPECT_EQ(verify(*unsigned_jws, KeySet()).error(), Error::unknown_kid);
}

}  // namespace
}  // namespace gatehouse::jose
