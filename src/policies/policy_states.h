// The per-request state of a chain's policies (StatefulPolicy), in storage that a connection
// keeps from one request to the next: after the first requests it allocates nothing.
#pragma once

#include <cstddef>
#include <vector>

#include "policies/chain.h"

namespace gatehouse::policies {

class PolicyStates {
 public:
  PolicyStates() = default;
  PolicyStates(const PolicyStates&) = delete;
  PolicyStates& operator=(const PolicyStates&) = delete;
  ~PolicyStates() { end(); }

  // Prepares storage for a request through `chain`; no state is constructed yet.
  void begin(const Chain& chain);
  // Constructs policy i's state (if it keeps any) and returns its slot, or null. Policies are
  // started in chain order, each once.
  void* start(size_t i);
  // Policy i's slot, once started; null if it keeps no state.
  void* slot(size_t i);
  // Destroys the started states; the storage stays for the next request.
  void end();

 private:
  std::vector<std::max_align_t> storage_;
  const Chain* chain_ = nullptr;
  size_t started_ = 0;
};

}  // namespace gatehouse::policies
