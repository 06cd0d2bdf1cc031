// Every token of make_vectors.py's matrix, decoded, verified against its JWKS and checked for
// claims as the gateway does, must end exactly as the script expects.
#include <gtest/gtest.h>

#include <map>

#include "security/jose/claims.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"
#include "security/jose/verify.h"
#include "vectors.h"

namespace gatehouse::jose {
namespace {

namespace json = boost::json;
using testing::Vectors;

// The reasons the script names, as they are spelled in error.h.
const std::map<std::string, Error> reasons = {
    {"malformed", Error::malformed},
    {"too_large", Error::too_large},
    {"bad_base64", Error::bad_base64},
    {"bad_json", Error::bad_json},
    {"duplicate_key", Error::duplicate_key},
    {"alg_none", Error::alg_none},
    {"alg_unsupported", Error::alg_unsupported},
    {"crit_unsupported", Error::crit_unsupported},
    {"b64_unsupported", Error::b64_unsupported},
    {"key_type_mismatch", Error::key_type_mismatch},
    {"key_alg_mismatch", Error::key_alg_mismatch},
    {"unknown_kid", Error::unknown_kid},
    {"bad_signature", Error::bad_signature},
    {"expired", Error::expired},
    {"not_yet_valid", Error::not_yet_valid},
    {"bad_claim", Error::bad_claim},
    {"wrong_issuer", Error::wrong_issuer},
    {"wrong_audience", Error::wrong_audience},
};

// The gateway's path for one bearer token.
Result<Jws> validate(std::string_view token, const KeySet& keys, const ClaimRules& rules,
                     int64_t now) {
  Result<Jws> jws = decode_jws(token);
  if (!jws) return jws;
  if (auto verified = verify(*jws, keys); !verified) return std::unexpected(verified.error());
  if (auto checked = check_claims(jws->payload(), rules, now); !checked) {
    return std::unexpected(checked.error());
  }
  return jws;
}

TEST(Vectors, EveryCaseEndsAsExpected) {
  const Vectors& vectors = Vectors::get();
  const Result<KeySet> keys = parse_jwks(vectors.text("jwks.json"));
  ASSERT_TRUE(keys);
  const json::object& document = vectors.cases();
  ClaimRules rules;
  rules.issuer = json::value_to<std::string>(document.at("issuer"));
  rules.audiences = {json::value_to<std::string>(document.at("audience"))};
  rules.leeway_seconds = document.at("leeway").as_int64();
  const int64_t now = document.at("now").as_int64();

  const json::array& cases = document.at("cases").as_array();
  ASSERT_GE(cases.size(), 60u);
  for (const json::value& entry : cases) {
    const json::object& c = entry.as_object();
    const std::string name = json::value_to<std::string>(c.at("name"));
    const std::string token = json::value_to<std::string>(c.at("token"));
    const std::string expect = json::value_to<std::string>(c.at("expect"));
    SCOPED_TRACE(name);
    const Result<Jws> result = validate(token, *keys, rules, now);
    if (expect != "ok") {
      ASSERT_FALSE(result) << "accepted";
      ASSERT_TRUE(reasons.contains(expect)) << expect;
      EXPECT_EQ(to_string(result.error()), to_string(reasons.at(expect)));
      continue;
    }
    ASSERT_TRUE(result) << to_string(result.error());
    const Claims claims(result->payload());
    EXPECT_EQ(claims.sub(), json::value_to<std::string>(c.at("sub")));
    EXPECT_EQ(claims.iss(), rules.issuer);
    EXPECT_EQ(claims.jti(), "id-1");
    EXPECT_GE(claims.time_claim("exp").value_or(0), now - rules.leeway_seconds);
    if (const json::value* scopes = c.if_contains("scopes")) {
      const std::string claim =
          c.contains("scope_claim") ? json::value_to<std::string>(c.at("scope_claim")) : "scope";
      const auto read = claims.scopes(claim);
      ASSERT_TRUE(read);
      std::vector<std::string> got(read->begin(), read->end());
      EXPECT_EQ(got, json::value_to<std::vector<std::string>>(*scopes));
    }
  }
}

}  // namespace
}  // namespace gatehouse::jose
