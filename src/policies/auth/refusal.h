// How the API's security refuses a caller: WSO2's JSON error with its status, the reason in the
// access log, and the RFC 6750 challenge of the API's first scheme that has one.
#pragma once

#include <string_view>

#include "pipeline/exchange.h"
#include "pipeline/verdict.h"
#include "security/auth/auth_error.h"

namespace gatehouse::policies {

// `challenge_scheme`: "Bearer", "Basic", or empty for an API whose schemes have no challenge
// (a Basic one would make browsers ask for a password).
pipeline::Verdict refuse(pipeline::Exchange& exchange, const security::AuthError& error,
                         std::string_view challenge_scheme);

}  // namespace gatehouse::policies
