#include "policies/auth/sandbox_routing.h"

namespace gatehouse::policies {
namespace {

class SandboxRouting final : public Policy {
 public:
  Phase phase() const override { return Phase::endpoint_choice; }

  Verdict on_request(Exchange& exchange) const override {
    if (exchange.caller.type == identity::KeyType::sandbox) {
      exchange.endpoints = pipeline::EndpointChoice::sandbox;
    }
    return Verdict::proceed;
  }
};

}  // namespace

std::unique_ptr<const Policy> make_sandbox_routing_policy() {
  return std::make_unique<SandboxRouting>();
}

}  // namespace gatehouse::policies
