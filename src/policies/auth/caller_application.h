// The application a caller belongs to (null for Basic Auth and mutual TLS). The security steps
// read it only through this function, so that where it comes from is decided in one place.
#pragma once

#include "security/auth/principal.h"

namespace gatehouse::policies {

inline const identity::StoredApplication* application_of(const security::Principal& principal) {
  return principal.application;
}

}  // namespace gatehouse::policies
