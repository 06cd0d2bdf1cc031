// The identity stores' errors at the place in the config file their records were read from.
#pragma once

#include "config/error.h"
#include "config/security_model.h"
#include "security/identity/store_error.h"

namespace gatehouse::security {

// Each error's index is into the config's list of its kind (applications, subscriptions, users).
config::ConfigErrors located_store_errors(const identity::StoreErrors& errors,
                                          const config::SecurityConfig& security);

}  // namespace gatehouse::security
