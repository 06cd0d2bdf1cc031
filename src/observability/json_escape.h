// JSON string literals for log lines, written straight into a reused buffer.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::observability {

// Appends `text` to `out` as a JSON string literal, quotes included. Quote, backslash and control
// characters are escaped; bytes that are not valid UTF-8 (client-supplied paths may hold any
// byte) are written as U+FFFD, so that every line stays valid JSON.
void append_json_string(std::string& out, std::string_view text);

}  // namespace gatehouse::observability
