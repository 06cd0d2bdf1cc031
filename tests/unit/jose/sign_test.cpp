// Our signer, checked by an independent verifier (PyJWT through make_vectors.py verify) and by
// our own verifier.
#include "security/jose/sign.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>

#include "security/jose/jws.h"
#include "security/jose/pem.h"
#include "security/jose/verify.h"
#include "vectors.h"

namespace gatehouse::jose::sign_test {
namespace {

namespace json = boost::json;
using testing::Vectors;

// Runs PyJWT on `token`; the decoded header and claims, or nullopt if PyJWT rejects it.
std::optional<json::object> pyjwt_verify(const std::string& token, const std::string& public_pem,
                                         Alg alg) {
  const auto token_file = Vectors::get().file("signed_by_us.jwt");
  std::FILE* out = std::fopen(token_file.c_str(), "w");
  std::fputs(token.c_str(), out);
  std::fclose(out);
  const std::string command = testing::python + " " + testing::script + " verify " +
                              token_file.string() + " " + Vectors::get().file(public_pem).string() +
                              " " + std::string(to_string(alg)) + " 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string printed;
  char chunk[4096];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) printed.append(chunk, n);
  if (pclose(pipe) != 0) return std::nullopt;
  return json::parse(printed).as_object();
}

const json::object claims = {{"iss", "https://gateway"},
                             {"sub", "app-7"},
                             {"exp", 1900000000},
                             {"scope", "read"},
                             {"nested", {{"k", "v"}}}};

TEST(Sign, IndependentVerifierAcceptsOurTokens) {
  for (const auto& [name, alg] :
       {std::pair{"rsa", Alg::RS256}, std::pair{"rsa", Alg::PS512}, std::pair{"p256", Alg::ES256},
        std::pair{"ed25519", Alg::EdDSA}}) {
    SCOPED_TRACE(std::string(to_string(alg)));
    const Result<Key> key =
        load_private_key_file(Vectors::get().file(std::string(name) + ".key.pem"));
    ASSERT_TRUE(key);
    const Result<std::string> token = sign_jwt(claims, *key, alg, "key-1");
    ASSERT_TRUE(token);
    const auto decoded = pyjwt_verify(*token, std::string(name) + ".pub.pem", alg);
    ASSERT_TRUE(decoded) << "PyJWT rejected our token";
    EXPECT_EQ(decoded->at("claims").as_object(), claims);
    EXPECT_EQ(decoded->at("header").as_object(),
              (json::object{{"alg", to_string(alg)}, {"typ", "JWT"}, {"kid", "key-1"}}));

    // And our verifier agrees, with the public key alone.
    const Result<Jws> jws = decode_jws(*token);
    ASSERT_TRUE(jws);
    EXPECT_EQ(jws->kid(), "key-1");
    EXPECT_EQ(jws->typ(), "JWT");
    const Result<Key> public_key =
        load_public_key_file(Vectors::get().file(std::string(name) + ".pub.pem"));
    EXPECT_TRUE(verify_signature(*jws, *public_key));
  }
}

TEST(Sign, IndependentVerifierRejectsATamperedToken) {
  const Result<Key> key = load_private_key_file(Vectors::get().file("p256.key.pem"));
  std::string token = *sign_jwt(claims, *key, Alg::ES256, "");
  token[token.find('.') + 3] ^= 1;
  EXPECT_FALSE(pyjwt_verify(token, "p256.pub.pem", Alg::ES256));
}

TEST(Sign, RefusesKeysThatCannotSign) {
  const Result<Key> public_key = load_public_key_file(Vectors::get().file("rsa.pub.pem"));
  EXPECT_EQ(sign_jwt(claims, *public_key, Alg::RS256, "").error(), Error::bad_key);
  const Result<Key> ec = load_private_key_file(Vectors::get().file("p256.key.pem"));
  EXPECT_EQ(sign_jwt(claims, *ec, Alg::ES384, "").error(), Error::key_type_mismatch);
  EXPECT_EQ(sign_jwt(claims, *ec, Alg::HS256, "").error(), Error::key_type_mismatch);
  const Result<Key> secret = Key::from_secret(std::string(32, 's'));
  const Result<std::string> hs = sign_jwt(claims, *secret, Alg::HS256, "h");
  ASSERT_TRUE(hs);
  EXPECT_TRUE(verify_signature(*decode_jws(*hs), *secret));
}

}  // namespace
}  // namespace gatehouse::jose::sign_test
