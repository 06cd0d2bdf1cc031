// Password hashes in the formats users bring: PHC strings of Argon2 ("$argon2id$v=19$m=...,t=...,
// p=...$salt$hash", as libargon2 and the `argon2` tool write them; "$argon2i$" also accepted) and
// bcrypt ("$2b$", "$2y$", "$2a$", as htpasswd -B and most libraries write them).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace gatehouse::identity {

enum class HashScheme : uint8_t { argon2id, argon2i, bcrypt };

// Cost bounds for a stored hash: every failed login pays the verification cost, so a hash that
// asks for gigabytes or minutes is refused when the store is built rather than at the first
// request. Argon2: memory in KiB, iterations, lanes (each lane is a thread in libargon2).
inline constexpr uint32_t max_argon2_memory_kib = 256 * 1024;
inline constexpr uint32_t max_argon2_iterations = 16;
inline constexpr uint32_t max_argon2_lanes = 8;
inline constexpr int max_bcrypt_cost = 15;  // 2^15 rounds: about a second

// Longer passwords are refused before hashing, so that a request cannot buy unbounded work.
// bcrypt itself reads only the first 72 bytes.
inline constexpr size_t max_password_size = 1024;

// The scheme of a well-formed hash within the cost bounds, or why it is refused.
std::expected<HashScheme, std::string> check_password_hash(std::string_view hash);

// `hash` passed check_password_hash with `scheme`. Compares in constant time; false also for a
// password over max_password_size or with a NUL byte (bcrypt would stop reading there).
bool verify_password(std::string_view password, const std::string& hash, HashScheme scheme);

// OWASP's recommended Argon2id parameters (Password Storage Cheat Sheet): 19 MiB, 2 iterations,
// 1 lane; a 16-byte random salt and a 32-byte hash. About 30 ms on one core.
inline constexpr uint32_t argon2id_memory_kib = 19 * 1024;
inline constexpr uint32_t argon2id_iterations = 2;
inline constexpr uint32_t argon2id_lanes = 1;

// A new "$argon2id$v=19$m=19456,t=2,p=1$..." string for `password`, for users to put in their
// configuration; fails only if the system has no randomness or memory.
std::expected<std::string, std::string> hash_password_argon2id(std::string_view password);

}  // namespace gatehouse::identity
