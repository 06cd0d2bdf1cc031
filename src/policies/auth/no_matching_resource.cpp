#include "policies/auth/no_matching_resource.h"

#include "security/auth/auth_error.h"

namespace gatehouse::policies {
namespace {

class NoMatchingResource final : public Policy {
 public:
  Phase phase() const override { return Phase::admission; }

  Verdict on_request(Exchange& exchange) const override {
    const security::AuthError error{security::AuthFailure::no_matching_resource,
                                    "no resource of the API matches the request"};
    exchange.auth_error = error.reason;
    exchange.local_response = pipeline::LocalResponse::from_error(security::to_api_error(error));
    return Verdict::respond;
  }
};

}  // namespace

std::unique_ptr<const Policy> make_no_matching_resource_policy() {
  return std::make_unique<NoMatchingResource>();
}

}  // namespace gatehouse::policies
