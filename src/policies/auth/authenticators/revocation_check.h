// The last check of a token scheme (OAuth2, API keys): a token revoked before it expires is
// refused. A revoked token stays in the token cache, so that refusing it costs a lookup, not a
// validation.
#pragma once

#include <string_view>

#include "policies/auth/authenticator.h"
#include "security/auth/revocations.h"

namespace gatehouse::policies {

// `revocations`: null when none are checked (`gatehouse validate`).
Authentication unless_revoked(const security::Revocations* revocations,
                              const security::TokenDigest& digest, security::PrincipalPtr principal,
                              std::string_view token);

}  // namespace gatehouse::policies
