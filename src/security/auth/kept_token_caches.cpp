#include "security/auth/kept_token_caches.h"

#include <chrono>

namespace gatehouse::security {

std::shared_ptr<TokenCaches> KeptTokenCaches::obtain(const TokenValidators& validators) {
  if (std::shared_ptr<TokenCaches> live = caches_.lock(); live && validators_ == validators) {
    return live;
  }
  auto fresh = std::make_shared<TokenCaches>(
      validators.workers, size_t{validators.settings.entries},
      std::chrono::duration_cast<TokenCache::Clock::duration>(validators.settings.max_ttl));
  caches_ = fresh;
  validators_ = validators;
  return fresh;
}

}  // namespace gatehouse::security
