#include "redis/dial.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/this_coro.hpp>

#include "net/as_result.h"
#include "net/watchdog.h"
#include "redis/errors.h"

namespace gatehouse::redis {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using net::as_result;

// Literal addresses (what Sentinels report) need no lookup. A lookup cannot be cancelled once the
// system resolver has it, so the deadline is checked after it rather than enforced during it.
asio::awaitable<std::expected<std::vector<tcp::endpoint>, Error>> resolve(const Address& address) {
  std::vector<tcp::endpoint> endpoints;
  net::error_code error;
  const auto literal = asio::ip::make_address(address.host, error);
  if (!error) {
    endpoints.emplace_back(literal, address.port);
    co_return endpoints;
  }
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [resolve_error, results] =
      co_await resolver.async_resolve(address.host, std::to_string(address.port), as_result);
  if (resolve_error) {
    co_return std::unexpected(failure(ErrorKind::unreachable, address,
                                      "name resolution failed: " + resolve_error.message()));
  }
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  co_return endpoints;
}

// Stops the watchdog before the stream it watches is moved or destroyed, on every way out.
struct WatchdogStopper {
  net::Watchdog& watchdog;
  ~WatchdogStopper() { watchdog.stop(); }
};

}  // namespace

asio::awaitable<std::expected<Dialed, Error>> dial(const Address& address,
                                                   const std::string& commands, size_t count,
                                                   std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  auto endpoints = co_await resolve(address);
  if (!endpoints) co_return std::unexpected(std::move(endpoints.error()));
  if (Clock::now() >= deadline) {
    co_return std::unexpected(
        failure(ErrorKind::timeout, address, "name resolution took too long"));
  }

  const auto executor = co_await asio::this_coro::executor;
  Dialed dialed{net::Stream(tcp::socket{executor}), {}};
  net::Stream& stream = dialed.stream;
  net::Watchdog watchdog(executor);
  WatchdogStopper stopper{watchdog};
  watchdog.arm(stream, deadline - Clock::now());
  const auto timed_out_or = [&](ErrorKind kind, std::string why) {
    return std::unexpected(watchdog.expired()
                               ? failure(ErrorKind::timeout, address, "no answer in time")
                               : failure(kind, address, std::move(why)));
  };

  auto [connect_error, connected] =
      co_await asio::async_connect(stream.socket(), *endpoints, as_result);
  if (connect_error) co_return timed_out_or(ErrorKind::unreachable, connect_error.message());
  net::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);

  if (net::IoResult written = co_await stream.write(asio::buffer(commands)); written.error) {
    co_return timed_out_or(ErrorKind::unreachable, "sending: " + written.error.message());
  }

  ReplyReader reader;
  std::string buffer(4096, '\0');
  while (dialed.replies.size() < count) {
    net::IoResult read = co_await stream.read_some(buffer.data(), buffer.size());
    if (read.error) co_return timed_out_or(ErrorKind::unreachable, read.error.message());
    if (!reader.feed({buffer.data(), read.bytes})) {
      co_return timed_out_or(ErrorKind::internal, "out of memory");
    }
    for (;;) {
      auto reply = reader.next();
      if (!reply) co_return timed_out_or(ErrorKind::bad_response, "not RESP: " + reply.error());
      if (!*reply) break;
      dialed.replies.push_back(std::move(**reply));
    }
  }
  if (dialed.replies.size() > count) {
    co_return timed_out_or(ErrorKind::bad_response, "more replies than commands");
  }
  watchdog.stop();
  co_return std::move(dialed);
}

}  // namespace gatehouse::redis
