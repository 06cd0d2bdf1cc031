#include "security/auth/certificate_binding.h"

#include <openssl/crypto.h>

#include <array>
#include <cstdint>
#include <utility>

#include "security/jose/base64url.h"
#include "security/jose/sha256.h"

namespace gatehouse::security {

namespace {

constexpr size_t sha256_size = std::tuple_size_v<decltype(jose::sha256(""))>;

AuthError unsupported_confirmation() {
  return AuthError{AuthFailure::invalid_credentials,
                   "the token is bound by a confirmation method not supported"};
}

}  // namespace

std::expected<std::string, AuthError> bound_certificate(const boost::json::object& claims) {
  const boost::json::value* cnf = claims.if_contains("cnf");
  if (cnf == nullptr) return std::string();
  const boost::json::object* confirmation = cnf->if_object();
  const boost::json::value* thumbprint =
      confirmation ? confirmation->if_contains("x5t#S256") : nullptr;
  if (thumbprint == nullptr || !thumbprint->is_string()) {
    return std::unexpected(unsupported_confirmation());
  }
  auto digest = jose::base64url_decode(thumbprint->get_string());
  if (!digest || digest->size() != sha256_size) return std::unexpected(unsupported_confirmation());
  return std::move(*digest);
}

std::optional<AuthError> certificate_binding_refusal(const Principal& principal,
                                                     std::string_view certificate_der) {
  if (principal.certificate_sha256.empty()) return std::nullopt;
  if (certificate_der.empty()) {
    return AuthError{AuthFailure::invalid_credentials,
                     "the token is bound to a client certificate and none was presented"};
  }
  const std::array<uint8_t, sha256_size> presented = jose::sha256(certificate_der);
  if (CRYPTO_memcmp(presented.data(), principal.certificate_sha256.data(), sha256_size) != 0) {
    return AuthError{AuthFailure::invalid_credentials,
                     "the token is bound to another client certificate"};
  }
  return std::nullopt;
}

}  // namespace gatehouse::security
