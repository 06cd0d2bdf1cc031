#include "security/auth/idp_answers.h"

#include <boost/json/parse.hpp>

#include <chrono>

#include "security/jose/claims.h"

namespace gatehouse::security {

std::expected<std::string, std::string> jwks_uri_from_discovery(std::string_view document,
                                                                std::string_view issuer) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(document, error);
  const boost::json::object* fields = error ? nullptr : parsed.if_object();
  if (!fields) return std::unexpected("the discovery document is not a JSON object");
  const boost::json::value* named = fields->if_contains("issuer");
  if (!named || !named->is_string() || named->get_string() != issuer) {
    return std::unexpected("the discovery document names another issuer");
  }
  const boost::json::value* uri = fields->if_contains("jwks_uri");
  if (!uri || !uri->is_string()) return std::unexpected("the discovery document has no jwks_uri");
  return std::string(uri->get_string());
}

std::expected<boost::json::object, AuthError> read_introspection_answer(
    std::string_view answer, const config::KeyManagerConfig& key_manager, int64_t now) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(answer, error);
  if (error || !parsed.is_object()) {
    return std::unexpected(AuthError{
        AuthFailure::key_manager_unreachable,
        "key manager '" + key_manager.name + "' answered the introspection with no JSON object"});
  }
  const boost::json::value* active = parsed.get_object().if_contains("active");
  if (!active || !active->is_bool() || !active->get_bool()) {
    return std::unexpected(AuthError{AuthFailure::invalid_credentials, "the token is not active"});
  }
  if (auto accepted = check_introspected_claims(parsed.get_object(), key_manager, now); !accepted) {
    return std::unexpected(std::move(accepted.error()));
  }
  return std::move(parsed.get_object());
}

std::expected<void, AuthError> check_introspected_claims(
    const boost::json::object& claims, const config::KeyManagerConfig& key_manager, int64_t now) {
  // The answer's exp, nbf and aud mean what a JWT's do (RFC 7662 section 2.2), and the key manager
  // may answer for tokens issued to other audiences. Its iss is optional there: not required.
  const jose::ClaimRules rules{
      .audiences = key_manager.audiences,
      .leeway_seconds =
          std::chrono::duration_cast<std::chrono::seconds>(key_manager.leeway).count(),
      .require_exp = false};
  if (auto checked = jose::check_claims(claims, rules, now); !checked) {
    return std::unexpected(
        AuthError{AuthFailure::invalid_credentials, std::string(jose::to_string(checked.error()))});
  }
  return {};
}

}  // namespace gatehouse::security
