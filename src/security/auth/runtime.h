// What outlives a snapshot: the security state a reload must not throw away. A snapshot compiled
// from the config takes what it needs from here, and a reload that leaves a part's settings as
// they were gets that part back as it was (docs/architecture.md, "Runtime and snapshots").
//
// Owned by the process for its whole life; changed on the control thread only.
#pragma once

#include <memory>

#include "security/auth/application_directory.h"
#include "security/auth/kept_token_caches.h"
#include "security/auth/key_managers.h"
#include "security/auth/revocations.h"

namespace gatehouse::security {

struct Runtime {
  std::shared_ptr<const Revocations> revocations;  // null: none are checked (`gatehouse validate`)
  KeyManagers key_managers;                        // with the keys their workers fetched
  KeptTokenCaches token_caches;                    // the tokens the workers validated
  ApplicationDirectory directory;                  // applications and subscriptions
};

}  // namespace gatehouse::security
