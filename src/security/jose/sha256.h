// SHA-256 of a string: the key of the caller's cache of validated tokens.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace gatehouse::jose {

std::array<uint8_t, 32> sha256(std::string_view data);

}  // namespace gatehouse::jose
