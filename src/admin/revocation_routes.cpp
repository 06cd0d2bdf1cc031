#include "admin/revocation_routes.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <string>

#include "admin/responses.h"
#include "security/auth/revocations.h"
#include "security/jose/sha256.h"
#include "security/jose/strict_json.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

// A jti is an identifier, not a document: long ones are a mistake or an attack on the sets.
constexpr size_t max_jti_bytes = 256;

// The request body as a Revocation, or why it is not one.
std::expected<security::Revocation, std::string> parse_revocation(std::string_view body) {
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
  }
  if (const json::value* expires_at = object.if_contains("expires_at")) {
    if (!expires_at->is_int64() || expires_at->get_int64() <= 0) {
      return std::unexpected("\"expires_at\" must be a positive integer (seconds since the epoch)");
    }
    revocation.expires_at = expires_at->get_int64();
  }
  return revocation;
}

}  // namespace

AdminResponse revoke_from_json(std::string_view body, security::Revocations& revocations,
                               int64_t now) {
  auto revocation = parse_revocation(body);
  if (!revocation) return bad_request(revocation.error());
  const bool by_jti = std::holds_alternative<std::string>(revocation->token);
  auto kept_until = revocations.revoke(std::move(*revocation), now);
  if (!kept_until) {
    switch (kept_until.error()) {
      case security::RevokeError::expired:
        return bad_request("\"expires_at\" has passed: the token is refused anyway");
      case security::RevokeError::full: {
        return error_response({503, 503, "Service Unavailable",
                               "the revocation list is full of tokens not yet expired"});
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

}  // namespace gatehouse::admin
