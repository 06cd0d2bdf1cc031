#include "policies/auth/auth_policy.h"

#include "policies/auth/admission_step.h"
#include "policies/auth/authentication_step.h"
#include "policies/auth/backend_jwt_step.h"

namespace gatehouse::policies {
namespace {

// The challenge of the API's first scheme that has one: `Bearer` before `Basic`.
std::string_view challenge_scheme(const Authenticators& authenticators) {
  for (const auto& authenticator : authenticators) {
    if (!authenticator->challenge_scheme().empty()) return authenticator->challenge_scheme();
  }
  return {};
}

}  // namespace

std::unique_ptr<const Policy> make_auth_policy(const AuthSettings& settings) {
  Authenticators authenticators = make_authenticators(settings);
  const std::string_view challenge = challenge_scheme(authenticators);
  std::vector<std::unique_ptr<const Policy>> later_steps;
  later_steps.push_back(make_admission_step(settings, challenge));
  if (settings.api->backend_jwt) later_steps.push_back(make_backend_jwt_step(settings));
  return make_authentication_step(*settings.api->security, std::move(authenticators), challenge,
                                  std::move(later_steps));
}

}  // namespace gatehouse::policies
