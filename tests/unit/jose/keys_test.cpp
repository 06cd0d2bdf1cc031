// Key sets, PEM keys and published JWKs, against the keys make_vectors.py wrote.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "security/jose/base64url.h"
#include "security/jose/jwk.h"
#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"
#include "security/jose/sha256.h"
#include "vectors.h"

namespace gatehouse::jose {
namespace {

namespace json = boost::json;
using testing::Vectors;

TEST(KeySet, KeepsUsableKeysAndSkipsTheRest) {
  const Result<KeySet> keys = parse_jwks(Vectors::get().text("jwks.json"));
  ASSERT_TRUE(keys);
  std::vector<std::string> kids;
  for (const Key& key : keys->keys()) kids.push_back(key.kid);
  EXPECT_EQ(kids, (std::vector<std::string>{"rsa", "rsa_other", "p256", "p384", "p521", "ed25519",
                                            "ed448", "rsa_rs384_only", "hs256", "hs384", "hs512"}));
  std::map<std::string, Error> skipped;
  for (const auto& [kid, reason] : keys->skipped()) skipped[kid] = reason;
  EXPECT_EQ(skipped, (std::map<std::string, Error>{{"rsa_1024", Error::weak_key},
                                                   {"encryption_key", Error::unsupported_key},
                                                   {"unknown_type", Error::unsupported_key},
                                                   {"off_curve", Error::bad_key}}));
  const Key* p384 = keys->find("p384");
  ASSERT_NE(p384, nullptr);
  EXPECT_EQ(p384->type(), KeyType::ec);
  EXPECT_EQ(p384->curve(), Curve::p384);
  EXPECT_EQ(keys->find("rsa")->bits(), 2048);
  EXPECT_EQ(keys->find("rsa_rs384_only")->alg, Alg::RS384);
  EXPECT_EQ(keys->find("ed448")->curve(), Curve::ed448);
  EXPECT_EQ(keys->find("hs512")->secret().size(), 64u);
  EXPECT_EQ(keys->find("rsa_1024"), nullptr);
  EXPECT_EQ(keys->find(""), nullptr);
}

TEST(KeySet, RefusesOnlyWhatIsNotAKeySet) {
  EXPECT_EQ(parse_jwks("[]").error(), Error::bad_json);
  EXPECT_EQ(parse_jwks(R"({"keys":{}})").error(), Error::malformed);
  EXPECT_EQ(parse_jwks(R"({"keys":[],"keys":[]})").error(), Error::duplicate_key);
  EXPECT_EQ(parse_jwks(std::string(2 << 20, ' ')).error(), Error::too_large);
  const Result<KeySet> odd = parse_jwks(R"({"keys":[1,{"kty":"oct","k":"c2hvcnQ"}]})");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->keys().empty());
  ASSERT_EQ(odd->skipped().size(), 2u);
  EXPECT_EQ(odd->skipped()[1].reason, Error::weak_key);  // a 5-byte HMAC secret
}

TEST(Jwk, RefusesBadParameters) {
  auto jwk = [](const char* text) { return parse_jwk(json::parse(text).as_object()); };
  const json::object rsa =
      json::parse(Vectors::get().text("jwks.json")).at("keys").at(0).as_object();
  json::object short_x = json::parse(Vectors::get().text("jwks.json")).at("keys").at(3).as_object();
  ASSERT_EQ(short_x.at("crv"), "P-256");
  short_x["x"] = std::string_view(short_x.at("x").as_string()).substr(2);
  EXPECT_EQ(parse_jwk(short_x).error(), Error::bad_key);
  json::object padded_n = rsa;
  padded_n["n"] = std::string(rsa.at("n").as_string()) + "=";
  EXPECT_EQ(parse_jwk(padded_n).error(), Error::bad_key);
  json::object bad_alg = rsa;
  bad_alg["alg"] = "none";
  EXPECT_EQ(parse_jwk(bad_alg).error(), Error::unsupported_key);
  EXPECT_EQ(jwk(R"({"kty":"OKP","crv":"X25519","x":"AAAA"})").error(), Error::unsupported_key);
  EXPECT_EQ(jwk(R"({"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"})").error(),
            Error::unsupported_key);
  EXPECT_EQ(jwk(R"({"kty":7})").error(), Error::bad_key);
  EXPECT_EQ(jwk(R"({"kty":"RSA","e":"AQAB"})").error(), Error::bad_key);
}

TEST(Pem, LoadsKeysAndPublishesThemAsJwk) {
  const Vectors& vectors = Vectors::get();
  const json::object thumbprints = json::parse(vectors.text("thumbprints.json")).as_object();
  for (const char* name : {"rsa", "p256", "ed25519"}) {
    SCOPED_TRACE(name);
    const Result<Key> private_key =
        load_private_key_file(vectors.file(std::string(name) + ".key.pem"));
    const Result<Key> public_key =
        load_public_key_file(vectors.file(std::string(name) + ".pub.pem"));
    ASSERT_TRUE(private_key);
    ASSERT_TRUE(public_key);
    EXPECT_TRUE(private_key->is_private());
    EXPECT_FALSE(public_key->is_private());
    const std::string expected = json::value_to<std::string>(thumbprints.at(name));
    EXPECT_EQ(thumbprint(*private_key), expected);
    EXPECT_EQ(thumbprint(*public_key), expected);

    // The published JWK has no private member, and reads back as the same key.
    const Result<json::object> jwk = public_jwk(*private_key);
    ASSERT_TRUE(jwk);
    EXPECT_EQ(jwk->at("kid"), expected.c_str());
    EXPECT_EQ(jwk->at("use"), "sig");
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"})
      EXPECT_FALSE(jwk->contains(secret));
    const Result<Key> again = parse_jwk(*jwk);
    ASSERT_TRUE(again);
    EXPECT_EQ(thumbprint(*again), expected);
  }
  const Result<Key> from_certificate = load_public_key_file(vectors.file("rsa.cert.pem"));
  ASSERT_TRUE(from_certificate);
  EXPECT_EQ(thumbprint(*from_certificate), json::value_to<std::string>(thumbprints.at("rsa")));

  Result<Key> named = load_private_key_file(vectors.file("p256.key.pem"));
  named->kid = "signing-2024";
  named->alg = Alg::ES256;
  EXPECT_EQ(public_jwk(*named)->at("kid"), "signing-2024");
  EXPECT_EQ(public_jwk(*named)->at("alg"), "ES256");
}

TEST(Pem, RefusesWeakBrokenAndMissingKeys) {
  const Vectors& vectors = Vectors::get();
  EXPECT_EQ(load_public_key_file(vectors.file("rsa_1024.pub.pem")).error(), Error::weak_key);
  EXPECT_EQ(load_private_key_file(vectors.file("missing.pem")).error(), Error::io_error);
  EXPECT_EQ(load_private_key_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .error(),
            Error::bad_key);
  EXPECT_EQ(load_public_key_pem(vectors.text("rsa.key.pem")).error(), Error::bad_key);
  EXPECT_EQ(load_public_key_pem("").error(), Error::bad_key);
  EXPECT_EQ(public_jwk(*Key::from_secret(std::string(32, 'k'))).error(), Error::unsupported_key);
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(base64url_encode(sha256("abc")), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  const auto empty = sha256("");
  EXPECT_EQ(empty[0], 0xe3);
  EXPECT_EQ(empty[31], 0x55);
}

}  // namespace
}  // namespace gatehouse::jose
