// The security of one resource, as the steps of the chain's phases:
//   authentication  the API's schemes, one authenticator each (authenticator.h), tried in the
//                   order their credentials are looked for: who is calling
//   admission       what that caller may do here: the API key's and the application's
//                   restrictions, the subscription, the resource's scopes (admission_step.h)
//   transformation  the backend JWT about the caller, when the API asks for one, before the
//                   configured transformations (backend_jwt_step.h)
// On success the Exchange holds the principal and the subscription; otherwise the client gets
// WSO2's error with an RFC 6750 challenge.
//
// Not a configurable policy: the snapshot compiler adds one to each secured resource's chain.
// The policy it gets is the authentication step, which runs after the CORS policies, so that
// browsers can read a refusal; the chain places the later steps (Policy::later_steps) first in
// their phases, so a caller the API does not admit is refused before a configured policy reads
// its body.
#pragma once

#include <memory>

#include "policies/auth/auth_settings.h"
#include "policies/policy.h"

namespace gatehouse::policies {

std::unique_ptr<const Policy> make_auth_policy(const AuthSettings& settings);

}  // namespace gatehouse::policies
