// Real Redis servers and Sentinels for the Redis client's tests: each started by the test on a
// free loopback port, in a temporary directory of its own, and killed at the end. The test talks
// to them on the side with redis-cli, which shares no code with the client under test.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "redis/settings.h"

namespace gatehouse::redis::fixtures {

// A port nobody listens on now: bound to port 0, read, released.
uint16_t free_port();

// Runs redis-cli against 127.0.0.1:`port` with `args` and returns what it printed (--raw), without
// the last newline.
std::string cli(uint16_t port, const std::vector<std::string>& args);

class RedisProcess {
 public:
  // A redis-server with no persistence and `extra` arguments ("--requirepass", "x"); returns once
  // it answers PING. `sentinel`: a Sentinel instead, with `config` as its config file's lines.
  explicit RedisProcess(std::vector<std::string> extra = {});
  static RedisProcess sentinel(const std::vector<std::string>& config);
  ~RedisProcess();
  RedisProcess(RedisProcess&& other) noexcept;
  RedisProcess& operator=(RedisProcess&&) = delete;

  uint16_t port() const { return port_; }
  Address address() const { return {"127.0.0.1", port_}; }
  std::string cli(const std::vector<std::string>& args) const { return fixtures::cli(port_, args); }
  // One field of INFO `section`: info("stats", "total_reads_processed") is "1234".
  std::string info(const std::string& section, const std::string& field) const;

  // SIGKILL, as a crash: the kernel resets its connections.
  void kill();
  // Starts it again on the same port, with the same arguments (and an empty data set).
  void restart();

 private:
  RedisProcess(std::string directory, uint16_t port, std::vector<std::string> argv);
  void launch();

  std::string directory_;
  std::vector<std::string> argv_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace gatehouse::redis::fixtures
