#include "policies/policy_states.h"

namespace gatehouse::policies {

void PolicyStates::begin(const Chain& chain) {
  end();
  chain_ = &chain;
  const size_t units =
      (chain.state_bytes() + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
  if (storage_.size() < units) storage_.resize(units);
}

void* PolicyStates::start(size_t i) {
  started_ = i + 1;
  void* state = slot(i);
  if (state != nullptr) (*chain_)[i].start_state(state);
  return state;
}

void* PolicyStates::slot(size_t i) {
  const size_t offset = chain_->state_offset(i);
  if (offset == Chain::kNoState) return nullptr;
  return reinterpret_cast<char*>(storage_.data()) + offset;
}

void PolicyStates::end() {
  if (chain_ == nullptr) return;
  for (size_t i = started_; i-- > 0;) {
    if (void* state = slot(i)) (*chain_)[i].end_state(state);
  }
  chain_ = nullptr;
  started_ = 0;
}

}  // namespace gatehouse::policies
