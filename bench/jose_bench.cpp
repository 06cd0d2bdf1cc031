// Bearer-token verification per core: decode + verify + claim checks, as the gateway runs them on
// a cache miss, for RS256 (2048-bit) and ES256. Compare with `openssl speed -seconds 3 rsa2048
// ecdsap256` (its "verify/s") on the same machine in the same session.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "security/jose/claims.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/public_jwk.h"
#include "security/jose/sign.h"
#include "security/jose/verify.h"

namespace {

using namespace gatehouse::jose;

struct Fixture {
  KeySet keys;
  std::string token;
};

// A fresh key pair, its public half in a key set as a JWKS would give it, and a token it signed.
Fixture make(Alg alg) {
  EVP_PKEY* pkey = alg == Alg::RS256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                                     : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  Result<Key> key = Key::adopt(pkey, true);
  if (!key) std::abort();
  key->kid = "bench";
  const boost::json::object claims = {{"iss", "https://issuer"}, {"aud", "gateway"},
                                      {"sub", "alice"},          {"exp", 4000000000},
                                      {"scope", "read write"},   {"jti", "0123456789abcdef"}};
  Fixture fixture;
  fixture.token = *sign_jwt(claims, *key, alg, "bench");
  fixture.keys = KeySet({*parse_jwk(*public_jwk(*key))});
  return fixture;
}

void verify_token(benchmark::State& state, Alg alg) {
  const Fixture fixture = make(alg);
  ClaimRules rules;
  rules.issuer = "https://issuer";
  rules.audiences = {"gateway"};
  for (auto _ : state) {
    const Result<Jws> jws = decode_jws(fixture.token);
    const bool ok =
        jws && verify(*jws, fixture.keys) && check_claims(jws->payload(), rules, 1700000000);
    if (!ok) state.SkipWithError("token did not verify");
    benchmark::DoNotOptimize(ok);
  }
  state.counters["verify/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_VerifyRS256(benchmark::State& state) {
  verify_token(state, Alg::RS256);
}
void BM_VerifyES256(benchmark::State& state) {
  verify_token(state, Alg::ES256);
}

// The part that is ours: base64url and strict JSON of a typical token, no signature check.
void BM_DecodeOnly(benchmark::State& state) {
  const Fixture fixture = make(Alg::ES256);
  for (auto _ : state) benchmark::DoNotOptimize(decode_jws(fixture.token));
}

BENCHMARK(BM_VerifyRS256)->MinTime(3);
BENCHMARK(BM_VerifyES256)->MinTime(3);
BENCHMARK(BM_DecodeOnly)->MinTime(1);

}  // namespace
