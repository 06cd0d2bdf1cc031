#include "security/jose/claims.h"

#include <algorithm>
#include <cmath>

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

// A NumericDate as whole seconds, rounded down and clamped to int64; nullopt for non-numbers.
std::optional<int64_t> numeric_date(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) {
    return static_cast<int64_t>(std::min<uint64_t>(value.get_uint64(), INT64_MAX));
  }
  if (value.is_double()) {
    // Boost.JSON 1.81 reads a zero with a large exponent ("0e900", a valid zero) as NaN, which
    // the clamps below would take for the end of time: a date that is no number is refused.
    if (std::isnan(value.get_double())) return std::nullopt;
    const double seconds = std::floor(value.get_double());
    if (!(seconds < 9.2e18)) return INT64_MAX;
    if (!(seconds > -9.2e18)) return INT64_MIN;
    return static_cast<int64_t>(seconds);
  }
  return std::nullopt;
}

// Saturating: a huge exp plus leeway must not wrap into the past.
int64_t add(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? INT64_MAX : INT64_MIN;
  return sum;
}

Result<void> check_audience(const json::value* aud, const std::vector<std::string>& expected) {
  if (aud == nullptr) return std::unexpected(Error::wrong_audience);
  auto wanted = [&](const json::value& value) {
    return value.is_string() &&
           std::find(expected.begin(), expected.end(), value.get_string()) != expected.end();
  };
  if (aud->is_string()) {
    if (wanted(*aud)) return {};
  } else if (aud->is_array()) {
    for (const json::value& entry : aud->get_array()) {
      if (!entry.is_string()) return std::unexpected(Error::bad_claim);
      if (wanted(entry)) return {};
    }
  } else {
    return std::unexpected(Error::bad_claim);
  }
  return std::unexpected(Error::wrong_audience);
}

}  // namespace

Result<void> check_claims(const json::object& claims, const ClaimRules& rules, int64_t now) {
  std::optional<int64_t> times[3];
  const char* names[3] = {"exp", "nbf", "iat"};
  for (int i = 0; i < 3; ++i) {
    if (const json::value* value = claims.if_contains(names[i])) {
      times[i] = numeric_date(*value);
      if (!times[i]) return std::unexpected(Error::bad_claim);
    }
  }
  const auto& [exp, nbf, iat] = times;
  if (!exp && rules.require_exp) return std::unexpected(Error::missing_exp);
  if (exp && now >= add(*exp, rules.leeway_seconds)) return std::unexpected(Error::expired);
  if (nbf && add(now, rules.leeway_seconds) < *nbf) return std::unexpected(Error::not_yet_valid);
  if (!rules.issuer.empty()) {
    const json::value* iss = claims.if_contains("iss");
    if (iss == nullptr || !iss->is_string() || iss->get_string() != rules.issuer) {
      return std::unexpected(Error::wrong_issuer);
    }
  }
  if (!rules.audiences.empty()) return check_audience(claims.if_contains("aud"), rules.audiences);
  return {};
}

std::string_view Claims::string_claim(std::string_view name) const {
  const json::value* value = claims_.if_contains(name);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

std::optional<int64_t> Claims::time_claim(std::string_view name) const {
  const json::value* value = claims_.if_contains(name);
  return value != nullptr ? numeric_date(*value) : std::nullopt;
}

Result<std::vector<std::string_view>> Claims::scopes(std::string_view claim) const {
  std::vector<std::string_view> scopes;
  const json::value* value = claims_.if_contains(claim);
  if (value == nullptr) return scopes;
  if (value->is_string()) {
    const std::string_view text = value->get_string();
    size_t at = 0;
    while (at < text.size()) {
      const size_t end = std::min(text.find(' ', at), text.size());
      if (end > at) scopes.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    return scopes;
  }
  if (!value->is_array()) return std::unexpected(Error::bad_claim);
  for (const json::value& entry : value->get_array()) {
    if (!entry.is_string()) return std::unexpected(Error::bad_claim);
    scopes.push_back(entry.get_string());
  }
  return scopes;
}

}  // namespace gatehouse::jose
