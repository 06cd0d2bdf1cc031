// libFuzzer target: a bearer token through the gateway's whole path (decode, verify against a
// fixed key set, claim checks, claim accessors). Nothing may crash; a decoded token's views point
// into the input; and only a token signed with the set's HMAC secret or EC key may verify.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "security/jose/claims.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/verify.h"

using namespace gatehouse::jose;

namespace {

using gatehouse::fuzz::require;

const KeySet& keys() {
  static const KeySet set = [] {
    Result<KeySet> parsed = parse_jwks(R"({"keys":[
      {"kty":"oct","kid":"hs","k":"ZnV6emluZy1zZWNyZXQtZnV6emluZy1zZWNyZXQtMzI"},
      {"kty":"EC","crv":"P-256","kid":"ec","x":"UnuWz1Bnl6mMGL4Tpum8QSvaRzxuKQGWBVL0NHlpwTE",
       "y":"hgQqBdKlYBeVxSR1p-f_nryv8yKxcP6AGdrJh_dYmiY"},
      {"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})");
    require(parsed && parsed->keys().size() == 3, "fixed key set loads");
    return std::move(*parsed);
  }();
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A fresh copy of exactly the input, so that ASan catches a view reaching past it.
  const std::string token(reinterpret_cast<const char*>(data), size);
  const Result<Jws> jws = decode_jws(token, {.max_token_bytes = 4096});
  if (!jws) return 0;
  const std::string_view whole = token;
  require(jws->signing_input().data() == whole.data() && jws->signing_input().size() < whole.size(),
          "signing input is the token's prefix");
  const Result<const Key*> key = verify(*jws, keys());
  if (key) require((*key)->kid == "hs" || (*key)->kid == "ec", "only known keys verify");

  ClaimRules rules;
  rules.issuer = "https://issuer.test";
  rules.audiences = {"gateway"};
  (void)check_claims(jws->payload(), rules, 1'700'000'000);
  const Claims claims(jws->payload());
  (void)claims.sub();
  (void)claims.time_claim("exp");
  if (const auto scopes = claims.scopes()) {
    for (std::string_view scope : *scopes) require(!scope.empty(), "scopes are not empty");
  }
  return 0;
}
