#include "keymanager/server/jwt_assertion.h"

#include "security/jose/claims.h"
#include "security/jose/verify.h"

namespace gatehouse::keymanager {

std::expected<CheckedAssertion, std::string> check_assertion(const jose::Jws& assertion,
                                                             const AssertionRules& rules,
                                                             UnixSeconds now) {
  const auto refused = [](jose::Error error) {
    return std::unexpected("the assertion is refused: " + std::string(jose::to_string(error)));
  };
  if (jose::family(assertion.alg()) == jose::AlgFamily::hmac) {
    return std::unexpected(std::string("the assertion must be signed with a private key"));
  }
  if (const auto verified = jose::verify(assertion, rules.keys); !verified) {
    return refused(verified.error());
  }
  const jose::ClaimRules claim_rules{.issuer = std::string(rules.issuer),
                                     .audiences = rules.audiences,
                                     .leeway_seconds = assertion_leeway.count(),
                                     .require_exp = true};
  if (const auto checked = jose::check_claims(assertion.payload(), claim_rules, now); !checked) {
    return refused(checked.error());
  }
  const jose::Claims claims(assertion.payload());
  const UnixSeconds expires_at = *claims.time_claim("exp");
  if (expires_at > now + rules.max_lifetime.count() + assertion_leeway.count()) {
    return std::unexpected(std::string("the assertion expires too far ahead"));
  }
  if (claims.jti().empty()) return std::unexpected(std::string("the assertion has no jti"));
  return CheckedAssertion{.claims = assertion.payload(),
                          .use = {.issuer = std::string(rules.issuer),
                                  .jti = std::string(claims.jti()),
                                  .expires_at = expires_at + assertion_leeway.count()}};
}

}  // namespace gatehouse::keymanager
