// An integer written in decimal at the end of a string, with no temporary string: response heads,
// metrics, the access log and the rate-limit headers write numbers into buffers they reuse.
#pragma once

#include <charconv>
#include <string>

namespace gatehouse {

template <typename Integer>
void append_decimal(std::string& out, Integer value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

}  // namespace gatehouse
