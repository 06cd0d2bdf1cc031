// libFuzzer target: a JWK Set as a key manager's jwks_uri could serve it, read with
// jose::parse_jwks (the fetch limit of 1 MiB) and then used as the key manager uses it: tokens
// signed by fixed keys are verified against it (the HMAC ones never are: they go to the
// configured hmac_secret). Input: the JWKS text.
//
// Checked: every entry of "keys" is either kept or reported skipped; a kept key is public (an
// RSA, EC or OKP JWK's private members are ignored), of an accepted size or curve, found by its
// kid, and its published form (public_jwk) reads back as the same key; and a token verifies only
// with the very key that signed it, however the set is made up.
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_require.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"
#include "security/jose/sign.h"
#include "security/jose/verify.h"

using namespace gatehouse::jose;

namespace {

using gatehouse::fuzz::require;

// Test keys made once with `openssl genpkey`; their public JWKs are in the seed corpus, so that
// fuzzing starts from sets that hold the signers.
constexpr const char* rsa_pem = R"(-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDLiy1uezj4VAfQ
eHEitJ/WqWNpc7FtFUu+2pEYKS8CfSn+AYvvBn7ynN13ZgyaA5/XuS5qsaB6ZFnV
ReMbYLv6L8Vj5tv7pJxjKztbzGl9fQvG+5jqLpioOpxdnyHy9zCTQfPeSpHaz5bp
bTlWrjcu1A0TdsPSR4MBgDi4skMeasgfX3ptS+mtJvt4SoqCfFH0Q2euBnNQsbIS
9v4LBlhQBk4CTeK6eXiQmBjSyTnD0DSITWuFIOlXXsd07ILGIPVhl8BbzZRX++EI
q0mSLH7HvHPa6pl4QgmUgoOYhJ6B/4HTYj5PnfDscj1lJ8xvgZUZZ60VhK5UdmUP
AZUAC7T9AgMBAAECggEAAOFF0wJ0CUQjvIJTdY5JBUk6MCHbPy4mY67Xjb6FK4JA
Wjlw0hm5wXFtgQSkl/iICmC3Pf2Cmhow9pEUyEYvdIdxrQWPJz6w8Q97dDbQBfDd
H4Ea9M2QGg9sJE4kfBkW0VbUUmkJdGQNXPj8lHlbAmLRo6c8dX5Fp2NXMMU527nM
e7h3hJAauJVdgpsXrF+iO9n+rkDAu0ieRXNcOr96Kc92yZ+3eqpV0GHk0mIqyzft
sE/ZMDr2QrvMIb++VN0wr9qERwSGjIHVUrFysqP2mGopsmMg8LtTiiWOBSo575pX
Rku3pHgbsl74dqgsALso+7RyXbqAcxMzHzLcbw20AQKBgQDmPkVjm5KCH/Hh+C1B
wN7v3UUFfKRKvBgAguqH0AJyNOGMcJVubO6g1pZQwf4NQPwdxGy8g2cITafYUz+t
PPRag/cJM/OFiO6SmNd/w7j7BXoRY/chva7DNCPoff9/6leR3lhN3YHV83pusz84
dT/vHbWece1Kx0rIIGpiou0efQKBgQDiUEf0KDO6Dghw3iOoaRe24mHkrfredUNb
XS57jc13UHzC/uSiVr7Qc8uvuI8UXqMUvauGk/ZF5+4rxtUeeVfHGWC/aC4tMrKB
KUH3gVroAqDacC6A4+WNU++fRaqs5uqbp6TMvQbfgk3K0Kgh61oAKC6uGqzpp/2o
BEpteLQ4gQKBgFdb1TQf+QzKVhpo8bL7HRthlyinzCZXC7xV7+qr7+GpUtLYfLoz
Nq9r/AiUMnKQ75fTyXYVXWh3HnIj1AtFD2mwnHCvd3x5IhwZRdrCRlNoFpK2nTP+
JmsGQ4GZHPJJ1gQQmuygWPz2rsOF2zzur91oJlsB2wj+aM9aDUNzkgh5AoGAZeeM
Xs5zbEXBW0FLgRvBR+Jr/hKxMdZPfCZbNdtGN4GQjCVGQisZRLe/ceKC2sM6X66A
O9sIO7YRsriXYl91PPuaatW4ZTW81xgC0jX2/x2f3HxDFFqKFLdE4Mz3618XKPu1
41MCc0YzTS3jZ1KYdhWh31e3oIa6WxuDgAOn8wECgYBLnzHPp6idRtGIrRQB4V6f
0hpPLUV6TMM4lwr4XpbMmncbduRtaFW8cg0l2XJm7WMgyj4yp4dI/PtCfGh/Pcv3
wNio2zJLu7pYLEp/qI7YWY8SujdmRrf3lzyORpKF92c+yONSOy7Tdy58nkQLb9tL
Swj5dcLmhXSbqCfwufFl4A==
-----END PRIVATE KEY-----
)";
constexpr const char* ec_pem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/K+2rlLN92e9PxVe
ZW3qb2eaXAOQg3hg1XQUraokvr+hRANCAARIIpU0Snp529xb4X0VpW43W+leCPfE
1DbodiuM3cHfbTUIS+9qRoiA/530vFVg/q3bS5cWGPeXmUaWhjmWDjPC
-----END PRIVATE KEY-----
)";
constexpr const char* ed_pem = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIN0ZauKrZ3wLw4coCzXGOKtJwgHFc+dQqNjEKbbJ5lSM
-----END PRIVATE KEY-----
)";

struct SignedToken {
  std::string token;
  std::string signer_thumbprint;
};

SignedToken sign(std::string_view pem, Alg alg, std::string_view kid) {
  const Result<Key> key = load_private_key_pem(pem);
  require(key.has_value(), "a fixed key loads");
  const boost::json::object claims{{"iss", "https://idp.test"}, {"sub", "alice"}};
  Result<std::string> token = sign_jwt(claims, *key, alg, kid);
  Result<std::string> print = thumbprint(*key);
  require(token && print, "a fixed token is signed");
  return {std::move(*token), std::move(*print)};
}

// Tokens with and without a kid, for each key type; the RSA key signs with PKCS#1 and PSS.
const std::vector<SignedToken>& tokens() {
  static const std::vector<SignedToken> signed_tokens = {
      sign(rsa_pem, Alg::RS256, "rsa"), sign(rsa_pem, Alg::PS256, "rsa"),
      sign(ec_pem, Alg::ES256, "ec"),   sign(ed_pem, Alg::EdDSA, "ed"),
      sign(ec_pem, Alg::ES256, ""),     sign(rsa_pem, Alg::RS256, "ec"),
  };
  return signed_tokens;
}

size_t entries_of(std::string_view text) {
  boost::system::error_code error;
  const boost::json::value document = boost::json::parse(text, error);
  require(!error && document.is_object(), "a JWKS that loads is a JSON object");
  const boost::json::value* keys = document.get_object().if_contains("keys");
  require(keys && keys->is_array(), "with a keys array");
  return keys->get_array().size();
}

void check_key(const Key& key, const KeySet& set) {
  const Key* found = set.find(key.kid);
  require(found != nullptr && found->kid == key.kid, "a kept key is found by its kid");
  if (key.type() == KeyType::oct) return;
  require(!key.is_private(), "a key from a JWKS is public");
  switch (key.type()) {
    case KeyType::rsa:
      require(key.bits() >= min_rsa_bits, "RSA keys have at least 2048 bits");
      break;
    case KeyType::ec:
      require(
          key.curve() == Curve::p256 || key.curve() == Curve::p384 || key.curve() == Curve::p521,
          "EC keys are on P-256, P-384 or P-521");
      break;
    default:
      require(key.curve() == Curve::ed25519 || key.curve() == Curve::ed448,
              "OKP keys are Ed25519 or Ed448");
  }
  const Result<boost::json::object> published = public_jwk(key);
  require(published.has_value(), "a kept key can be published");
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    require(!published->contains(secret), "a published key has no private member");
  }
  const Result<Key> again = parse_jwk(*published);
  require(again.has_value(), "a published key reads back");
  require(thumbprint(*again) == thumbprint(key), "as the same key");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<KeySet> set = parse_jwks(text, 1 << 20);
  if (!set) return 0;
  require(set->keys().size() + set->skipped().size() == entries_of(text),
          "every entry is kept or skipped");
  for (const Key& key : set->keys()) check_key(key, *set);

  for (const SignedToken& signed_token : tokens()) {
    const Result<Jws> jws = decode_jws(signed_token.token);
    require(jws.has_value(), "a fixed token decodes");
    const Result<const Key*> used = verify(*jws, *set);
    if (!used) continue;
    require((*used)->type() != KeyType::oct, "an asymmetric alg never verifies with a secret");
    require(thumbprint(**used) == signed_token.signer_thumbprint,
            "a token verifies only with the key that signed it");
  }
  return 0;
}
