#include "policies/policy.h"

#include "core/api_error.h"

namespace gatehouse::policies {

// Reached only if a policy returned Verdict::wait without overriding this: a defect in that
// policy. Failing the request closed is safer than proceeding, since the unfinished work may
// have been a security check.
boost::asio::awaitable<Verdict> Policy::on_request_async(Exchange& exchange) const {
  exchange.local_response = pipeline::LocalResponse::from_error(
      {500, 500, "Internal Server Error", "A gateway policy could not complete its check."});
  co_return Verdict::respond;
}

// As above: the response goes on, the policy's unfinished edit is not made.
boost::asio::awaitable<void> Policy::on_response_async(Exchange&) const {
  co_return;
}

}  // namespace gatehouse::policies
