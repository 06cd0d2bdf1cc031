// A random identifier: an API key's jti, an application made through the admin listener.
#pragma once

#include <expected>
#include <string>

namespace gatehouse::tokens {

// An RFC 9562 version-4 UUID (122 random bits) in its 36-character form, or why the system has
// no randomness.
std::expected<std::string, std::string> random_uuid();

}  // namespace gatehouse::tokens
