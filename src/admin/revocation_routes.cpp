#include "admin/revocation_routes.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "admin/responses.h"
#include "observability/prometheus_text.h"
#include "security/auth/revocations.h"
#include "security/jose/base64url.h"
#include "security/jose/sha256.h"
#include "security/jose/strict_json.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

// A jti is an identifier, not a document: long ones are a mistake or an attack on the sets.
constexpr size_t max_jti_bytes = 256;

// The `exp` of a token that is a JWS in compact form, read without checking the signature: it
// only says how long to remember the revocation. A forged exp gains nothing, as a forged token
// is refused anyway; a genuine token is refused by its own exp from then on.
std::optional<int64_t> jwt_expiry(std::string_view token) {
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
  auto payload = jose::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  auto claims = jose::parse_object_strict(*payload);
  if (!claims) return std::nullopt;
  const json::value* exp = claims->if_contains("exp");
  if (exp == nullptr) return std::nullopt;
  if (exp->is_int64()) return exp->get_int64();
  if (exp->is_double() && exp->get_double() > 0 && exp->get_double() < 1e15) {
    return static_cast<int64_t>(exp->get_double()) + 1;
  }
  return std::nullopt;
}

// The request body as a Revocation, or why it is not one. Kept until the later of `expires_at`
// and the token's own exp plus `grace`; with neither, for the configured max lifetime.
std::expected<security::Revocation, std::string> parse_revocation(std::string_view body,
                                                                  int64_t grace) {
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  const json::object& object = *parsed;
  for (const auto& member : object) {
    if (member.key() != "jti" && member.key() != "token" && member.key() != "expires_at") {
      return std::unexpected("unknown member '" + std::string(member.key()) +
                             "'; expected \"jti\" or \"token\", and optionally \"expires_at\"");
    }
  }
  const json::value* jti = object.if_contains("jti");
  const json::value* token = object.if_contains("token");
  if ((jti == nullptr) == (token == nullptr)) {
    return std::unexpected("give exactly one of \"jti\" and \"token\"");
  }
  const json::value& named = jti ? *jti : *token;
  if (!named.is_string() || named.get_string().empty()) {
    return std::unexpected(std::string(jti ? "\"jti\"" : "\"token\"") +
                           " must be a non-empty string");
  }
  if (jti && jti->get_string().size() > max_jti_bytes) {
    return std::unexpected("\"jti\" is longer than " + std::to_string(max_jti_bytes) + " bytes");
  }
  security::Revocation revocation;
  if (jti) {
    revocation.token = std::string(jti->get_string());
  } else {
    revocation.token = jose::sha256(token->get_string());
    if (const std::optional<int64_t> exp = jwt_expiry(token->get_string()); exp && *exp > 0) {
      const bool far = *exp > std::numeric_limits<int64_t>::max() - grace;
      revocation.expires_at = far ? std::numeric_limits<int64_t>::max() : *exp + grace;
    }
  }
  if (const json::value* expires_at = object.if_contains("expires_at")) {
    if (!expires_at->is_int64() || expires_at->get_int64() <= 0) {
      return std::unexpected("\"expires_at\" must be a positive integer (seconds since the epoch)");
    }
    revocation.expires_at = std::max(revocation.expires_at, expires_at->get_int64());
  }
  return revocation;
}

}  // namespace

AdminResponse revoke_from_json(std::string_view body, security::Revocations& revocations,
                               int64_t now, int64_t grace) {
  auto revocation = parse_revocation(body, grace);
  if (!revocation) return bad_request(revocation.error());
  const bool by_jti = std::holds_alternative<std::string>(revocation->token);
  auto kept_until = revocations.revoke(std::move(*revocation), now);
  if (!kept_until) {
    switch (kept_until.error()) {
      case security::RevokeError::expired:
        return bad_request(
            "the token has expired (\"expires_at\" or its exp has passed): it is "
            "refused anyway");
      case security::RevokeError::full: {
        return error_response(
            {507, 507, "Insufficient Storage",
             "the revocation list holds its capacity of " +
                 std::to_string(revocations.limits().capacity) +
                 " revocations, none expired yet; nothing was forgotten to make room. Raise "
                 "admin revocations capacity, or retry once revoked tokens expire"});
      }
    }
  }
  return json_response(202, {{"revoked", by_jti ? "jti" : "token"}, {"expires_at", *kept_until}});
}

AdminResponse list_revocations(const security::Revocations& revocations, int64_t now) {
  const security::RevokedSet& recorded = revocations.recorded();
  json::array jtis;
  for (const auto& [jti, expires_at] : recorded.jtis()) {
    if (expires_at > now) jtis.push_back(json::object{{"jti", jti}, {"expires_at", expires_at}});
  }
  const auto tokens = std::ranges::count_if(
      recorded.digests(), [now](const auto& entry) { return entry.second > now; });
  return json_response(200, {{"jtis", std::move(jtis)}, {"tokens", tokens}});
}

std::string revocation_metrics(const security::Revocations& revocations, int64_t now) {
  const security::RevokedSet& recorded = revocations.recorded();
  const auto unexpired = [now](const auto& entry) { return entry.second > now; };
  const auto held = std::ranges::count_if(recorded.jtis(), unexpired) +
                    std::ranges::count_if(recorded.digests(), unexpired);
  std::string text;
  observability::append_sample(text, "gatehouse_revocations", "gauge",
                               "Revoked tokens and jtis held until they expire.", held);
  observability::append_sample(text, "gatehouse_revocations_capacity", "gauge",
                               "Revocations the list may hold.",
                               static_cast<int64_t>(revocations.limits().capacity));
  observability::append_sample(text, "gatehouse_revocations_refused_total", "counter",
                               "Revocations refused: the list was full.",
                               static_cast<int64_t>(revocations.refused()));
  return text;
}

}  // namespace gatehouse::admin
