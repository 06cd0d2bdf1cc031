#include "policies/chain.h"

#include <algorithm>
#include <iterator>

namespace gatehouse::policies {

Chain::Chain(std::vector<const Policy*> policies) {
  for (const Policy* policy : policies) {
    std::ranges::copy(policy->later_steps(), std::back_inserter(policies_));
  }
  policies_.insert(policies_.end(), policies.begin(), policies.end());
  std::ranges::stable_sort(policies_, {}, [](const Policy* p) { return p->phase(); });
  state_offsets_.reserve(policies_.size());
  for (const Policy* policy : policies_) {
    const size_t size = policy->state_size();
    if (size == 0) {
      state_offsets_.push_back(kNoState);
      continue;
    }
    const size_t align = policy->state_align();
    const size_t offset = (state_bytes_ + align - 1) / align * align;
    state_offsets_.push_back(offset);
    state_bytes_ = offset + size;
  }
}

}  // namespace gatehouse::policies
