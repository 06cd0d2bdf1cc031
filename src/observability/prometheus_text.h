// The Prometheus text exposition format, as /metrics writes it: a family's # HELP and # TYPE
// lines, and a family of one unlabelled sample.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::observability {

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help);

// `type` is "counter" or "gauge".
void append_sample(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, int64_t value);

}  // namespace gatehouse::observability
