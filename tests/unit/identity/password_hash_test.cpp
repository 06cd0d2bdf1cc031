#include "security/identity/password_hash.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "support/password_tools.h"

namespace gatehouse::identity {
namespace {

using test_support::argon2_tool_hash;
using test_support::htpasswd_bcrypt_hash;
using test_support::run_command;
using ::testing::HasSubstr;
using ::testing::StartsWith;

bool verifies(const std::string& password, const std::string& hash) {
  auto scheme = check_password_hash(hash);
  if (!scheme) {
    ADD_FAILURE() << hash << " refused: " << scheme.error();
    return false;
  }
  return verify_password(password, hash, *scheme);
}

TEST(PasswordHash, Argon2idFromTheReferenceTool) {
  std::string hash = argon2_tool_hash("correct horse battery staple");
  ASSERT_THAT(hash, StartsWith("$argon2id$v=19$m=4096,t=2,p=1$"));
  EXPECT_EQ(check_password_hash(hash), HashScheme::argon2id);
  EXPECT_TRUE(verifies("correct horse battery staple", hash));
  EXPECT_FALSE(verifies("correct horse battery stapl", hash));
  EXPECT_FALSE(verifies("Correct horse battery staple", hash));
  EXPECT_FALSE(verifies("", hash));
}

TEST(PasswordHash, Argon2iFromTheReferenceTool) {
  std::string hash = argon2_tool_hash("s3cret", "-i");
  ASSERT_THAT(hash, StartsWith("$argon2i$"));
  EXPECT_EQ(check_password_hash(hash), HashScheme::argon2i);
  EXPECT_TRUE(verifies("s3cret", hash));
  EXPECT_FALSE(verifies("s3cres", hash));
}

TEST(PasswordHash, BcryptFromHtpasswd) {
  std::string hash = htpasswd_bcrypt_hash("pa$$ word");
  ASSERT_THAT(hash, StartsWith("$2y$05$"));
  EXPECT_EQ(check_password_hash(hash), HashScheme::bcrypt);
  EXPECT_TRUE(verifies("pa$$ word", hash));
  EXPECT_FALSE(verifies("pa$$ wore", hash));
  EXPECT_FALSE(verifies("pa$$", hash));
}

TEST(PasswordHash, Bcrypt2bAnd2aPrefixesOfTheSameHash) {
  // $2b$ and $2y$ are the same algorithm; libraries differ only in the prefix they write.
  std::string hash = htpasswd_bcrypt_hash("hunter2");
  std::string as_2b = "$2b$" + hash.substr(4);
  EXPECT_TRUE(verifies("hunter2", as_2b));
  EXPECT_FALSE(verifies("hunter3", as_2b));
  EXPECT_TRUE(verifies("hunter2", "$2a$" + hash.substr(4)));
}

TEST(PasswordHash, BcryptFromPythonCrypt) {
  std::string hash = run_command(
      "/usr/bin/python3 -W ignore -c \"import crypt; "
      "print(crypt.crypt('tiger', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))\"");
  ASSERT_THAT(hash, StartsWith("$2b$04$"));
  EXPECT_TRUE(verifies("tiger", hash));
  EXPECT_FALSE(verifies("lion", hash));
}

TEST(PasswordHash, OwnArgon2idHashHasTheDocumentedParameters) {
  auto hash = hash_password_argon2id("open sesame");
  ASSERT_TRUE(hash) << hash.error();
  // 16 bytes of salt and 32 of hash, in unpadded base64: 22 and 43 characters.
  EXPECT_THAT(*hash,
              ::testing::MatchesRegex(
                  R"(\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})"));
  EXPECT_TRUE(verifies("open sesame", *hash));
  EXPECT_FALSE(verifies("open sesame!", *hash));
}

TEST(PasswordHash, TwoHashesOfOnePasswordDifferBySalt) {
  auto first = hash_password_argon2id("same");
  auto second = hash_password_argon2id("same");
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

TEST(PasswordHash, PasswordsOverTheLimitOrWithNulAreRefused) {
  std::string hash = htpasswd_bcrypt_hash("abc");
  EXPECT_FALSE(verify_password(std::string("abc\0def", 7), hash, HashScheme::bcrypt));
  std::string long_password(max_password_size + 1, 'x');
  std::string long_hash = *hash_password_argon2id(long_password);
  EXPECT_FALSE(verify_password(long_password, long_hash, HashScheme::argon2id));
}

TEST(PasswordHash, UnknownAndMalformedFormatsAreRefused) {
  std::string argon = argon2_tool_hash("x");
  std::string bcrypt = htpasswd_bcrypt_hash("x");
  struct Case {
    std::string hash;
    const char* reason;
  };
  const Case cases[] = {
      {"plaintext", "unknown password hash format"},
      {"", "unknown password hash format"},
      {"$1$abc$def", "unknown password hash format"},    // MD5-crypt
      {"$6$salt$hash", "unknown password hash format"},  // SHA-512-crypt
      {"{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=", "unknown password hash format"},
      {"$argon2d$v=19$m=4096,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "argon2id and argon2i"},
      {"$argon2id$m=4096,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "v=19"},
      {"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "parameters"},
      {"$argon2id$v=19$m=4096,t=100,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "parameters"},
      {"$argon2id$v=19$m=4096,t=2,p=64$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "parameters"},
      {"$argon2id$v=19$m=04096,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "parameters"},
      {"$argon2id$v=19$t=2,m=4096,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "parameters"},
      {argon.substr(0, argon.rfind('$')), "$salt$hash"},
      {argon + "$extra", "$salt$hash"},
      {argon.substr(0, argon.size() - 10), "$salt$hash"},
      {"$2x$05$" + bcrypt.substr(7), "$2b$, $2y$ and $2a$"},
      {"$2b$03$" + bcrypt.substr(7), "cost"},
      {"$2b$31$" + bcrypt.substr(7), "cost"},
      {"$2b$5$" + bcrypt.substr(7), "cost"},
      {bcrypt.substr(0, bcrypt.size() - 1), "53 characters"},
      {bcrypt + "A", "53 characters"},
      {bcrypt.substr(0, 20) + "!" + bcrypt.substr(21), "53 characters"},
  };
  for (const Case& c : cases) {
    auto scheme = check_password_hash(c.hash);
    ASSERT_FALSE(scheme) << c.hash;
    EXPECT_THAT(scheme.error(), HasSubstr(c.reason)) << c.hash;
  }
}

}  // namespace
}  // namespace gatehouse::identity
