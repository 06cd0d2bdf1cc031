// The signed JWT about the admitted caller that the backend receives (the API's `backend_jwt`):
// the step of the API's security in the `transformation` phase, ahead of the transformations the
// API configures. One signature per caller and JWT lifetime: the JWT is cached per worker by the
// caller's credential and the API.
#pragma once

#include <memory>

#include "policies/auth/auth_settings.h"
#include "policies/policy.h"

namespace gatehouse::policies {

// `settings.api->backend_jwt` must be set.
std::unique_ptr<const Policy> make_backend_jwt_step(const AuthSettings& settings);

}  // namespace gatehouse::policies
