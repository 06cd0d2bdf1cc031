#pragma once

#include "policies/policy.h"

namespace gatehouse::policies {

// Compiles `type: fault` (see fault_config.h). A delayed request waits on a timer, holding no
// thread; an aborted one is answered with the configured status and WSO2's error body, and never
// reaches the backend. Every response to a request that met a fault says so in its
// `Gatehouse-Fault` header (`delay=2000ms`, `abort=503`), so that a client's logs show which
// failures were injected.
const PolicyFactory& fault_policy_factory();

}  // namespace gatehouse::policies
