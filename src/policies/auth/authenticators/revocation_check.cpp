#include "policies/auth/authenticators/revocation_check.h"

namespace gatehouse::policies {

Authentication unless_revoked(const security::Revocations* revocations,
                              const security::TokenDigest& digest, security::PrincipalPtr principal,
                              std::string_view token) {
  if (revocations && revocations->revoked(digest, principal->token_id)) {
    return Authentication::refused(security::AuthFailure::invalid_credentials,
                                   "the token has been revoked");
  }
  return Authentication::authenticated(std::move(principal), token);
}

}  // namespace gatehouse::policies
