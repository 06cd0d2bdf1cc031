#include "policies/auth/authenticator.h"

namespace gatehouse::policies {

// Reached only if an authenticator returned `wait` without overriding this: a defect in it.
// Refusing is safer than admitting a caller whose check did not finish.
boost::asio::awaitable<Authentication> Authenticator::authenticate_async(
    const pipeline::Exchange&, const PendingCheck&) const {
  co_return Authentication::refused(security::AuthFailure::key_manager_unreachable,
                                    "the credential's check could not complete");
}

}  // namespace gatehouse::policies
