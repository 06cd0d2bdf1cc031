#include "throttling/rate_limit_text.h"

#include <charconv>

namespace gatehouse::throttling {

void append_number(std::string& out, uint64_t number) {
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, written.ptr);
}

void append_policy_parameters(std::string& out, uint64_t quota, int64_t window_ms, bool bytes) {
  out += ";q=";
  append_number(out, quota);
  out += ";w=";
  append_number(out, static_cast<uint64_t>(window_ms / 1000));
  if (bytes) out += ";qu=\"content-bytes\"";
}

}  // namespace gatehouse::throttling
