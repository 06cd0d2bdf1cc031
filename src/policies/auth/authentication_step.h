// Who is calling: the step of the API's security in the `authentication` phase. It asks the
// authenticators of the API's schemes (authenticator.h) in their order; the first whose
// credential is in the request decides. Mutual TLS is WSO2's second group: asked first, it
// refuses an untrusted certificate whatever else the request carries, is required when
// `mutual_tls_security` is mandatory, and admits on its own when no other credential is there
// and `application_security` is optional. No credential at all is 900902.
//
// On success `exchange.principal` and `exchange.credential` name the caller, for the later steps.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "policies/auth/authenticator.h"
#include "policies/policy.h"

namespace gatehouse::policies {

// `later_steps`: the steps of the API's security in later phases, owned by this one and placed by
// the chain (Policy::later_steps).
std::unique_ptr<const Policy> make_authentication_step(
    const config::ApiSecurityConfig& security, Authenticators authenticators,
    std::string_view challenge_scheme, std::vector<std::unique_ptr<const Policy>> later_steps);

}  // namespace gatehouse::policies
