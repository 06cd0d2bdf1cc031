#include "policies/policy.h"

#include "core/api_error.h"

namespace gatehouse::policies {

// Reached only if a policy returned Verdict::wait without overriding this: a defect in that
// policy. Failing the request closed is safer than proceeding, since the unfinished work may
// have been a security check.
boost::asio::awaitable<Verdict> Policy::on_request_async(proxy::Exchange& exchange) const {
  const ApiError error{500, 500, "Internal Server Error",
                       "A gateway policy could not complete its check."};
  exchange.local_response = proxy::LocalResponse{.status = error.status,
                                                 .headers = {},
                                                 .body = error.json_body(),
                                                 .content_type = "application/json"};
  co_return Verdict::respond;
}

}  // namespace gatehouse::policies
