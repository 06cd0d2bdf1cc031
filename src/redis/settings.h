// What a Redis client is given: where Redis is (one address, or the Sentinels that know the
// master), how to log in, and the bounds on every wait. Plain data; the config layer reads YAML
// into it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gatehouse::redis {

struct Address {
  std::string host;  // a name or a literal IPv4/IPv6 address
  uint16_t port = 6379;

  bool operator==(const Address&) const = default;
};

// "host:port", with IPv6 literals in brackets: for log lines and errors.
std::string to_string(const Address& address);

struct Settings {
  // The server, when no Sentinels are given.
  Address address{"127.0.0.1", 6379};
  // High availability: the Sentinels to ask for the address of `master_name`'s current master,
  // tried in turn. When not empty, `address` is not used.
  std::vector<Address> sentinels{};
  std::string master_name{};
  std::string sentinel_password{};  // AUTH for the Sentinels; empty: none

  std::string username{};  // an ACL user (Redis 6+); empty: AUTH with the password alone
  std::string password{};  // empty: no AUTH
  uint32_t db = 0;         // SELECT, when not 0

  // How long a caller waits for its reply; then it gets a timeout error.
  std::chrono::milliseconds command_timeout{50};
  // Bounds a whole connection attempt: name lookup, connect, AUTH, SELECT, ROLE (and each
  // Sentinel asked).
  std::chrono::milliseconds connect_timeout{1000};
  // The oldest command unanswered for this long means the server or the path to it is gone
  // (a slow server only delays; a dead peer without a reset never answers): the connection is
  // dropped and made anew.
  std::chrono::milliseconds dead_after{2000};
  // Reconnect back-off: from `reconnect_min`, doubling up to `reconnect_max`, each delay drawn
  // between half and all of its step so that the workers of a cluster do not reconnect in step.
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{5000};
  // Commands sent and not yet answered (including timed-out ones whose reply is still due);
  // beyond it, a command fails at once instead of growing the queue of a server that lags.
  size_t max_pending = 10000;
};

}  // namespace gatehouse::redis
