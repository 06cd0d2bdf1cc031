// Verification reuses a set-up context per thread, key and alg (verify.cpp). These tests check
// that the reuse changes no verdict: no state carries over from one verification to the next,
// algs and keys are not confused, and more keys than the cache holds still verify.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "security/jose/jws.h"
#include "security/jose/key.h"
#include "security/jose/sign.h"
#include "security/jose/verify.h"

namespace gatehouse::jose::verify_reuse_test {
namespace {

const boost::json::object claims = {{"sub", "alice"}, {"exp", 1900000000}};

Key fresh_key(const char* type) {
  EVP_PKEY* pkey = std::string(type) == "RSA"
                       ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, type, "P-256");
  Result<Key> key = Key::adopt(pkey, true);
  EXPECT_TRUE(key);
  return *key;
}

std::string token_for(const Key& key, Alg alg) {
  const Result<std::string> token = sign_jwt(claims, key, alg, "k");
  EXPECT_TRUE(token);
  return *token;
}

bool verifies(const std::string& token, const Key& key) {
  const Result<Jws> jws = decode_jws(token);
  EXPECT_TRUE(jws);
  return jws && verify_signature(*jws, key).has_value();
}

// A character early in the signature changed: still canonical base64url of the same length, so
// the token decodes, and its signature no longer verifies.
std::string tampered(std::string token) {
  char& c = token[token.rfind('.') + 5];
  c = c == 'A' ? 'B' : 'A';
  return token;
}

TEST(VerifyReuse, AGoodAndABadSignatureAlternateWithTheSameKey) {
  const Key key = fresh_key("EC");
  const std::string good = token_for(key, Alg::ES256);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(verifies(good, key));
    EXPECT_FALSE(verifies(tampered(good), key));
  }
}

TEST(VerifyReuse, OneRsaKeyWithPkcs1AndPssAlternately) {
  const Key key = fresh_key("RSA");
  const std::string pkcs1 = token_for(key, Alg::RS256);
  const std::string pss = token_for(key, Alg::PS256);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(verifies(pkcs1, key));
    EXPECT_TRUE(verifies(pss, key));
    EXPECT_FALSE(verifies(tampered(pss), key));
  }
}

TEST(VerifyReuse, MoreKeysThanTheCacheHoldsEachVerifyOnlyTheirOwnTokens) {
  std::vector<Key> keys;
  std::vector<std::string> tokens;
  for (int i = 0; i < 12; ++i) {
    keys.push_back(fresh_key("EC"));
    tokens.push_back(token_for(keys.back(), Alg::ES256));
  }
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < keys.size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_TRUE(verifies(tokens[i], keys[i]));
      EXPECT_FALSE(verifies(tokens[i], keys[(i + 1) % keys.size()]));
    }
  }
}

TEST(VerifyReuse, EdDsaVerifiesAgainAndAgain) {
  const Result<Key> key = Key::adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), true);
  ASSERT_TRUE(key);
  const std::string token = token_for(*key, Alg::EdDSA);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(verifies(token, *key));
    EXPECT_FALSE(verifies(tampered(token), *key));
  }
}

}  // namespace
}  // namespace gatehouse::jose::verify_reuse_test
