// Slows the guessing of credentials at the key manager: a client's secret (invalid_client at the
// token, introspection and revocation endpoints) and a user's password (the password grant, the
// login page). Failures are counted per key ("ip:<address>", "client:<id>", "user:<name>"); the
// first few are free, and each one after them shuts the key out for twice as long as the last,
// up to a cap. While shut out a request is answered 429 with Retry-After before any credential is
// checked, so a guess made then tells the guesser nothing. Counting by address alone would let a
// botnet guess one client's secret from many addresses; by client alone, one address could guess
// at every client: both are counted, and either one shuts the request out.
//
// A key is forgotten once it has failed no more for `forget_after`, and a success forgets the
// client's or user's key (not the address's: a guesser with one valid client must not wipe the
// count of its address). Tokens, codes and refresh tokens are not counted: 256 random bits are
// not guessed, and a busy client whose users' refresh tokens expire must not shut itself out.
//
// One table for every worker, behind a mutex: only requests to the key manager touch it, and
// each touch is one hash probe. It holds at most `max_keys` keys; when full, the keys that no
// longer shut anything out are dropped, and if that is not enough a new key is not counted (the
// keys being counted, the attacked clients among them, keep theirs).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gatehouse::keymanager {

// Milliseconds on a monotonic clock: a shut-out of one second must last one second, not until
// the wall clock's next second.
using AttemptTime = std::chrono::milliseconds;

struct FailedAttemptsPolicy {
  uint32_t free_failures = 5;
  std::chrono::seconds first_delay{1};
  std::chrono::seconds max_delay{300};
  std::chrono::seconds forget_after{900};
  size_t max_keys = 100'000;
};

class FailedAttempts {
 public:
  explicit FailedAttempts(FailedAttemptsPolicy policy = {}) : policy_(policy) {}

  // Whole seconds (rounded up) until `key` may try again; 0 when it may now.
  int64_t wait(std::string_view key, AttemptTime now);
  void failed(std::string_view key, AttemptTime now);
  void succeeded(std::string_view key);

 private:
  struct Count {
    uint32_t failures = 0;
    AttemptTime last_failure{0};
    AttemptTime shut_until{0};
  };
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };

  bool forgotten(const Count& count, AttemptTime now) const;
  void drop_idle(AttemptTime now);

  const FailedAttemptsPolicy policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, Count, Hash, std::equal_to<>> counts_;
};

}  // namespace gatehouse::keymanager
