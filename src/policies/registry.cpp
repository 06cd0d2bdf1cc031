#include <array>

#include "policies/cors/cors_policy.h"
#include "policies/fault/fault_policy.h"
#include "policies/headers/headers_policy.h"
#include "policies/json_threat/json_threat_policy.h"
#include "policies/policy.h"
#include "policies/rewrite/rewrite_policy.h"

namespace gatehouse::policies {

const PolicyFactory* find_policy_factory(std::string_view type) {
  // Every policy the gateway knows, one line each. Explicit on purpose: what is compiled in is
  // what is listed here, in no order that depends on static initialisation.
  static const auto factories = std::to_array<const PolicyFactory*>({
      &cors_policy_factory(),
      &fault_policy_factory(),
      &headers_policy_factory(),
      &json_threat_policy_factory(),
      &rewrite_policy_factory(),
  });
  for (const PolicyFactory* factory : factories) {
    if (factory->name() == type) return factory;
  }
  return nullptr;
}

}  // namespace gatehouse::policies
