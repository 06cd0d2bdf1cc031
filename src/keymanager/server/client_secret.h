// Client secrets: generated here, stored as "sha256:<hex>" (client.h says why a fast hash), and
// compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace gatehouse::keymanager {

struct ClientSecret {
  std::string secret;  // shown once to whoever created the key, never stored
  std::string hash;    // what the client's record keeps
};

// 256 random bits, base64url.
ClientSecret generate_client_secret();

std::string hash_client_secret(std::string_view secret);

// "sha256:" followed by 64 lower-case hex digits.
bool is_client_secret_hash(std::string_view hash);

// Whether `secret` hashes to `hash`; the comparison takes the same time wherever they differ.
bool client_secret_matches(std::string_view secret, std::string_view hash);

}  // namespace gatehouse::keymanager
