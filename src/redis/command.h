// Commands as RESP, written by hiredis' formatter.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace gatehouse::redis {

// Appends the command `args` ("SET", "key", "value") to `out`, as RESP: an array of bulk strings,
// binary safe. Up to 32 arguments cost one allocation, hiredis' formatted copy.
void append_command(std::string& out, std::span<const std::string_view> args);

}  // namespace gatehouse::redis
