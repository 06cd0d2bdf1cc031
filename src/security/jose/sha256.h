// SHA-256 of a string: the key of the caller's cache of validated tokens, and how configured
// bearer tokens are kept (their digests only).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::jose {

std::array<uint8_t, 32> sha256(std::string_view data);

// Whether the SHA-256 of `token` is one of `digests` (32 bytes each, as the config keeps bearer
// tokens); each comparison takes the same time wherever the digests differ.
bool sha256_listed(std::string_view token, const std::vector<std::string>& digests);

}  // namespace gatehouse::jose
