#include "policies/auth/no_matching_resource.h"

#include "policies/auth/refusal.h"

namespace gatehouse::policies {
namespace {

class NoMatchingResource final : public Policy {
 public:
  Phase phase() const override { return Phase::admission; }

  Verdict on_request(Exchange& exchange) const override {
    return refuse(
        exchange,
        {security::AuthFailure::no_matching_resource, "no resource of the API matches the request"},
        {});
  }
};

}  // namespace

std::unique_ptr<const Policy> make_no_matching_resource_policy() {
  return std::make_unique<NoMatchingResource>();
}

}  // namespace gatehouse::policies
