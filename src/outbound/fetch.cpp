#include "outbound/fetch.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/this_coro.hpp>

#include "net/as_result.h"
#include "net/stream.h"
#include "net/tls.h"
#include "net/watchdog.h"
#include "outbound/request_head.h"
#include "outbound/response_reader.h"
#include "outbound/url.h"

namespace gatehouse::outbound {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using net::as_result;

std::unexpected<Error> failure(ErrorKind kind, std::string peer, std::string underlying) {
  return std::unexpected(
      Error(kind, ErrorSource::identity_provider, std::move(peer), std::move(underlying)));
}

// The request cannot be sent as it was given: the gateway's own error, not the peer's.
std::unexpected<Error> refused(std::string why) {
  return std::unexpected(
      Error(ErrorKind::bad_request, ErrorSource::gateway, "outbound request", std::move(why)));
}

// Literal addresses need no lookup. A lookup cannot be cancelled once the system resolver has it,
// so the deadline is checked after it rather than enforced during it.
asio::awaitable<std::expected<std::vector<tcp::endpoint>, Error>> resolve(const Target& target) {
  std::vector<tcp::endpoint> addresses;
  net::error_code error;
  const auto literal = asio::ip::make_address(target.host, error);
  if (!error) {
    addresses.emplace_back(literal, target.port);
    co_return addresses;
  }
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [resolve_error, results] =
      co_await resolver.async_resolve(target.host, std::to_string(target.port), as_result);
  if (resolve_error) {
    co_return failure(ErrorKind::unreachable, target.host,
                      "name resolution failed: " + resolve_error.message());
  }
  for (const auto& entry : results) addresses.push_back(entry.endpoint());
  co_return addresses;
}

// Stops the watchdog before the stream it watches goes away, on every way out of fetch().
struct WatchdogStopper {
  net::Watchdog& watchdog;
  ~WatchdogStopper() { watchdog.stop(); }
};

}  // namespace

std::expected<ClientTls, std::string> make_client_tls(const TlsSettings& settings) {
  auto context = net::make_client_tls(settings.ca_file, settings.verify_tls);
  if (!context) return std::unexpected(context.error());
  return ClientTls{std::move(*context), settings.verify_tls};
}

asio::awaitable<std::expected<Response, Error>> fetch(const Request& request,
                                                      const ClientTls& tls) {
  const Clock::time_point deadline = Clock::now() + request.timeout;
  auto target = parse_url(request.url);
  if (!target) co_return refused(target.error());
  auto head = request_head(request, *target);
  if (!head) co_return refused(head.error());
  if (target->tls && !tls.context) co_return refused("https URL without a TLS client context");
  const std::string where = target->host_header;

  auto addresses = co_await resolve(*target);
  if (!addresses) co_return std::unexpected(addresses.error());
  if (Clock::now() >= deadline) {
    co_return failure(ErrorKind::timeout, where, "name resolution took too long");
  }

  auto executor = co_await asio::this_coro::executor;
  net::Stream stream(tcp::socket{executor});
  net::Watchdog watchdog(executor);
  WatchdogStopper stopper{watchdog};
  // One deadline for the whole exchange: armed once; the stream object stays the same when TLS
  // is layered on, so the watch carries over.
  watchdog.arm(stream, deadline - Clock::now());
  const auto timed_out_or = [&](ErrorKind kind, std::string message) {
    return watchdog.expired() ? failure(ErrorKind::timeout, where, "no complete answer in time")
                              : failure(kind, where, std::move(message));
  };

  auto [connect_error, connected] =
      co_await asio::async_connect(stream.socket(), *addresses, as_result);
  if (connect_error) co_return timed_out_or(ErrorKind::unreachable, connect_error.message());
  net::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);

  if (target->tls) {
    stream = net::Stream(std::move(stream.socket()), *tls.context);
    if (auto error = co_await stream.handshake_client(target->host, tls.verify)) {
      co_return timed_out_or(ErrorKind::tls, error.message());
    }
  }

  const std::array<asio::const_buffer, 2> message = {asio::buffer(*head),
                                                     asio::buffer(request.body)};
  if (net::IoResult written = co_await stream.write(message); written.error) {
    co_return timed_out_or(ErrorKind::bad_response, "sending: " + written.error.message());
  }

  auto response =
      co_await read_response(stream, request.max_response_bytes, request.method == "HEAD", where);
  if (!response && response.error().kind() == ErrorKind::bad_response) {
    co_return timed_out_or(ErrorKind::bad_response, std::string(response.error().underlying()));
  }
  if (!response) co_return std::unexpected(std::move(response.error()));
  stream.close();
  co_return response;
}

asio::awaitable<std::expected<std::string, std::string>> get_json(
    const std::string& url, const ClientTls& tls, std::chrono::milliseconds timeout) {
  const Request request{
      .url = url, .headers = {{"Accept", "application/json"}}, .timeout = timeout};
  auto response = co_await fetch(request, tls);
  if (!response) co_return std::unexpected(url + ": " + response.error().describe());
  if (response->status != 200) {
    co_return std::unexpected(url + ": HTTP " + std::to_string(response->status));
  }
  co_return std::move(response->body);
}

}  // namespace gatehouse::outbound
