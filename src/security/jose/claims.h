// JWT claims (RFC 7519 section 4.1): the checks every token passes (times, issuer, audience) and
// read access to the rest. Works on the payload of a verified Jws.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "security/jose/error.h"

namespace gatehouse::jose {

struct ClaimRules {
  std::string issuer;                  // exact match; empty: not checked
  std::vector<std::string> audiences;  // any one of them in aud; empty: not checked
  int64_t leeway_seconds = 60;         // clock skew allowed on exp and nbf
  bool require_exp = true;
};

// exp, nbf and iat must be numbers when present; expired when now >= exp + leeway, not yet valid
// when now + leeway < nbf. `now` is seconds since the epoch (the caller's clock).
Result<void> check_claims(const boost::json::object& claims, const ClaimRules& rules, int64_t now);

class Claims {
 public:
  explicit Claims(const boost::json::object& claims) : claims_(claims) {}

  // Empty when absent or not a string.
  std::string_view sub() const { return string_claim("sub"); }
  std::string_view jti() const { return string_claim("jti"); }
  std::string_view iss() const { return string_claim("iss"); }
  std::string_view string_claim(std::string_view name) const;
  // A NumericDate (exp, nbf, iat), fractions cut; nullopt when absent or not a number.
  std::optional<int64_t> time_claim(std::string_view name) const;
  // Scopes from a space-separated string (OAuth 2.0 "scope") or an array of strings ("scp");
  // bad_claim when the claim is of another type. Views into the claims.
  Result<std::vector<std::string_view>> scopes(std::string_view claim = "scope") const;
  // Any claim; nullptr when absent.
  const boost::json::value* get(std::string_view name) const { return claims_.if_contains(name); }

 private:
  const boost::json::object& claims_;
};

}  // namespace gatehouse::jose
