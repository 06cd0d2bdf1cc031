// The built-in key manager's public keys as every `resident` key manager verifies with them. Its
// key ring rotates while the gateway runs: the new set replaces the old one in a single atomic
// swap, seen by the next token every worker verifies, with no reload. A reader keeps the set it
// loaded for as long as it verifies with it, so a swap never frees keys in use.
#pragma once

#include <atomic>
#include <memory>

#include "security/jose/jwk.h"

namespace gatehouse::security {

class ResidentKeys {
 public:
  explicit ResidentKeys(std::shared_ptr<const jose::KeySet> keys) : keys_(std::move(keys)) {}

  std::shared_ptr<const jose::KeySet> current() const {
    return keys_.load(std::memory_order_acquire);
  }
  // From the thread that rotated the key ring; any number of workers may read meanwhile.
  void replace(std::shared_ptr<const jose::KeySet> keys) {
    keys_.store(std::move(keys), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const jose::KeySet>> keys_;
};

}  // namespace gatehouse::security
