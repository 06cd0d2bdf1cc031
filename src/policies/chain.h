// The policies one request meets, in phase order, and where each keeps its per-request state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "policies/policy.h"

namespace gatehouse::policies {

class Chain {
 public:
  static constexpr size_t kNoState = SIZE_MAX;

  Chain() = default;
  // Orders `policies` and their later steps by phase, keeping the given order within a phase
  // (the config's order), later steps first.
  explicit Chain(std::vector<const Policy*> policies);

  size_t size() const { return policies_.size(); }
  bool empty() const { return policies_.empty(); }
  const Policy& operator[](size_t i) const { return *policies_[i]; }
  std::span<const Policy* const> policies() const { return policies_; }

  // Where policy i's state starts in a request's state storage; kNoState if it keeps none.
  size_t state_offset(size_t i) const { return state_offsets_[i]; }
  // How much state storage a request needs for this chain.
  size_t state_bytes() const { return state_bytes_; }

 private:
  std::vector<const Policy*> policies_;
  std::vector<size_t> state_offsets_;
  size_t state_bytes_ = 0;
};

}  // namespace gatehouse::policies
