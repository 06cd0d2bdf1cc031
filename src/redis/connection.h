// A Redis client connection for one worker thread: one socket, shared by every coroutine of the
// worker that needs Redis, used only from the worker's io_context (no locks).
//
// Pipelining: a command is formatted into the connection's output buffer and its caller queued;
// one write at a time is in flight and takes everything queued since the last one, so the
// commands of concurrent callers leave together, and one read hands out as many replies as it
// received, in order.
//
// Bounded waits: every command has the same deadline (Settings::command_timeout). A caller whose
// reply is late gets a timeout error; its place in the queue is kept and the late reply dropped
// (waiting_callers.h says why). A server that answers nothing for Settings::dead_after is taken
// for dead: the connection is dropped.
//
// Failures: while there is no connection, a command fails at once (kind unreachable: nothing was
// sent); when the connection ends, every caller still waiting fails at once (kind closed: the
// command may have run). The connection is made again in the background, after a jittered,
// exponential back-off. Each lost connection and failed attempt is a log line and a counter.
//
// With Sentinels (Settings::sentinels), each connection starts by asking them for the master
// and checks with ROLE that it is one; a READONLY reply (the master was demoted) drops the
// connection, which then asks again. Sentinel itself closes the clients of a demoted master.
//
//   redis::Connection redis(io.get_executor(), settings);
//   redis.start();
//   ...
//   auto reply = co_await redis.command(std::array<std::string_view, 2>{"INCR", key});
//   if (!reply) fail_open_or_closed(reply.error());
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/error.h"
#include "redis/reply.h"
#include "redis/settings.h"

namespace gatehouse::redis {

class Connection {
 public:
  // A reply, Redis' error replies included ("ERR ...", "NOSCRIPT ..."); an Error only when no
  // reply came: timeout, closed, unreachable (errors.h).
  using Result = std::expected<Reply, Error>;

  // For metrics and health: written by the worker, read from any thread.
  struct Stats {
    std::atomic<bool> connected{false};
    std::atomic<uint64_t> reconnects{0};        // connections made after the first
    std::atomic<uint64_t> connect_failures{0};  // attempts that failed: lookup, connect, handshake
    std::atomic<uint64_t> failed_commands{0};   // commands that got an Error
    std::atomic<uint64_t> timed_out_commands{0};  // of which timeouts
  };

  Connection(boost::asio::any_io_executor executor, Settings settings);
  // Ends the connection; callers still waiting fail (closed).
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting, in the background, and reconnecting whenever the connection is lost.
  void start();

  // Sends the command `args` ("EVALSHA", sha, "1", key, ...) and waits for its reply.
  // The arguments are read when the result is awaited: co_await the call in the expression that
  // makes it, as Asio's own operations are. A std::array made in that expression is the cheap
  // way (a braced list, an initializer_list, does not compile in a co_await with g++ 12).
  boost::asio::awaitable<Result> command(std::span<const std::string_view> args);

  bool connected() const { return stats().connected.load(std::memory_order_relaxed); }
  // The server commands go to now: the configured address, or the master Sentinel named.
  std::optional<Address> server() const;
  const Stats& stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace gatehouse::redis
