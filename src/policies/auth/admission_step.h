// What the authenticated caller may do here: the step of the API's security in the `admission`
// phase, ahead of the admission policies the API configures. In this order, the first refusal
// answering:
//   an API key's own limits     subscribed to this API, its IP and referrer restrictions (900908)
//   the subscription            of an OAuth2 or API key caller's application: registered,
//                               subscribed (900908), not blocked (900907), active (900909); a
//                               sandbox key only where the API has sandbox endpoints (900905);
//                               the application's IP and referrer restrictions (900908)
//   the resource's scopes       one of them held (900910)
// It sets `exchange.subscription`. A refused caller is not left as the exchange's principal: the
// access log names callers the API admitted.
#pragma once

#include <memory>
#include <string_view>

#include "policies/auth/auth_settings.h"
#include "policies/policy.h"

namespace gatehouse::policies {

std::unique_ptr<const Policy> make_admission_step(const AuthSettings& settings,
                                                  std::string_view challenge_scheme);

}  // namespace gatehouse::policies
