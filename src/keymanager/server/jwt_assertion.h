// JWT assertions (RFC 7523 section 3): JWTs that another party signed to say who it is, or for
// whom it speaks. What the key manager checks of every one, whether a client authenticates with
// it (private_key_jwt) or a grant takes it as a user's identity (the JWT bearer grant, the
// subject or actor token of a token exchange):
//   - signed with an asymmetric alg by a key of the issuer's set (an HMAC would make the set's
//     holder able to forge it; client_secret_jwt is not offered);
//   - iss the expected issuer; aud containing one of the expected audiences;
//   - exp present, not passed, and not further ahead than the rules allow (a long-lived
//     assertion is a standing credential, and its jti would have to be kept as long); nbf passed;
//   - a jti, which the caller records as used (assertion_replay.h) before trusting the assertion.
// Times allow assertion_leeway of clock skew between the issuer and this server.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/store/grant_store.h"
#include "security/jose/jwk.h"
#include "security/jose/jws.h"

namespace gatehouse::keymanager {

inline constexpr std::chrono::seconds assertion_leeway{30};

struct AssertionRules {
  const jose::KeySet& keys;
  std::string_view issuer;
  std::vector<std::string> audiences;  // one of them in aud
  std::chrono::seconds max_lifetime;   // exp no later than now + this (+ the leeway)
};

// An assertion whose signature and claims are good, not yet recorded as used.
struct CheckedAssertion {
  boost::json::object claims;
  // Its issuer and jti, kept until it can no longer be accepted (exp + the leeway).
  UsedAssertionRecord use;
};

// A fixed reason when refused, for an error_description: never a claim's value.
std::expected<CheckedAssertion, std::string> check_assertion(const jose::Jws& assertion,
                                                             const AssertionRules& rules,
                                                             UnixSeconds now);

}  // namespace gatehouse::keymanager
