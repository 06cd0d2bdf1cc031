#include "throttling/rate_limit_text.h"

#include "core/decimal.h"

namespace gatehouse::throttling {

void append_policy_parameters(std::string& out, uint64_t quota, int64_t window_ms, bool bytes) {
  out += ";q=";
  append_decimal(out, quota);
  out += ";w=";
  append_decimal(out, static_cast<uint64_t>(window_ms / 1000));
  if (bytes) out += ";qu=\"content-bytes\"";
}

}  // namespace gatehouse::throttling
