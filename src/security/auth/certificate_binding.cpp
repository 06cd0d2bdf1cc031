#include "security/auth/certificate_binding.h"

#include "security/jose/certificate_thumbprint.h"

namespace gatehouse::security {

std::expected<std::string, AuthError> bound_certificate(const boost::json::object& claims) {
  const boost::json::value* cnf = claims.if_contains("cnf");
  if (cnf == nullptr) return std::string();
  const boost::json::object* confirmation = cnf->if_object();
  const boost::json::value* thumbprint =
      confirmation ? confirmation->if_contains("x5t#S256") : nullptr;
  if (thumbprint == nullptr || !thumbprint->is_string() || thumbprint->get_string().empty()) {
    return std::unexpected(AuthError{AuthFailure::invalid_credentials,
                                     "the token is bound by a confirmation method not supported"});
  }
  return std::string(thumbprint->get_string());
}

std::optional<AuthError> certificate_binding_refusal(const Principal& principal,
                                                     std::string_view certificate_der) {
  if (principal.certificate_thumbprint.empty()) return std::nullopt;
  if (certificate_der.empty()) {
    return AuthError{AuthFailure::invalid_credentials,
                     "the token is bound to a client certificate and none was presented"};
  }
  if (jose::certificate_thumbprint(certificate_der) != principal.certificate_thumbprint) {
    return AuthError{AuthFailure::invalid_credentials,
                     "the token is bound to another client certificate"};
  }
  return std::nullopt;
}

}  // namespace gatehouse::security
