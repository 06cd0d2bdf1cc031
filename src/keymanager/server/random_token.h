// Unguessable strings from OpenSSL's CSPRNG: client secrets, refresh tokens, jtis, families.
#pragma once

#include <cstddef>
#include <string>

namespace gatehouse::keymanager {

// `bytes` random bytes, base64url without padding (32 bytes: 43 characters, 256 bits).
std::string random_token(size_t bytes = 32);

}  // namespace gatehouse::keymanager
