#include "proxy/endpoint_connector.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/this_coro.hpp>

#include <vector>

#include "net/as_result.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A failed step of the connect: a timeout if the watchdog ended it.
Error connect_error(ErrorKind kind, const snapshot::Endpoint& endpoint,
                    const net::error_code& error, const net::Watchdog& watchdog) {
  return Error(watchdog.expired() ? ErrorKind::timeout : kind, ErrorSource::backend,
               endpoint.authority, error.message())
      .set_retryable(true);
}

}  // namespace

asio::awaitable<std::expected<net::Stream, Error>> connect_endpoint(
    const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
    net::Watchdog& watchdog) {
  using net::as_result;
  auto executor = co_await asio::this_coro::executor;

  // Literal addresses need no lookup; names are resolved on each new connection, so a changed
  // DNS record is followed without a reload.
  std::vector<tcp::endpoint> addresses;
  net::error_code error;
  const auto literal = asio::ip::make_address(endpoint.host, error);
  if (!error) {
    addresses.emplace_back(literal, endpoint.port);
  } else {
    tcp::resolver resolver(executor);
    auto [resolve_error, results] =
        co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), as_result);
    if (resolve_error) {
      co_return std::unexpected(Error(ErrorKind::unreachable, ErrorSource::backend,
                                      endpoint.authority, resolve_error.message()));
    }
    for (const auto& entry : results) addresses.push_back(entry.endpoint());
  }

  net::Stream plain(tcp::socket{executor});
  watchdog.arm(plain, group.connect_timeout);
  auto [connect_failed, connected] =
      co_await asio::async_connect(plain.socket(), addresses, as_result);
  if (connect_failed) {
    co_return std::unexpected(
        connect_error(ErrorKind::unreachable, endpoint, connect_failed, watchdog));
  }
  plain.socket().set_option(tcp::no_delay(true), error);
  if (!endpoint.tls) co_return std::move(plain);
  net::Stream secure(std::move(plain.socket()), *group.tls);
  watchdog.arm(secure, group.connect_timeout);
  if (auto failed = co_await secure.handshake_client(endpoint.host, group.verify_tls)) {
    co_return std::unexpected(connect_error(ErrorKind::tls, endpoint, failed, watchdog));
  }
  co_return std::move(secure);
}

}  // namespace gatehouse::proxy
