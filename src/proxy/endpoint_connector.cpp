#include "proxy/endpoint_connector.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <vector>

namespace gatehouse::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<ConnectResult> connect_endpoint(const Endpoint& endpoint,
                                                const EndpointGroup& group,
                                                net::Watchdog& watchdog) {
  constexpr auto as_result = asio::as_tuple(asio::use_awaitable);
  auto executor = co_await asio::this_coro::executor;
  ConnectResult result;

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
    if (resolve_error) co_return result;
    for (const auto& entry : results) addresses.push_back(entry.endpoint());
  }

  net::Stream plain(tcp::socket{executor});
  watchdog.arm(plain, group.connect_timeout);
  auto [connect_error, connected] =
      co_await asio::async_connect(plain.socket(), addresses, as_result);
  if (connect_error) {
    result.timed_out = watchdog.expired();
    co_return result;
  }
  plain.socket().set_option(tcp::no_delay(true), error);
  if (!endpoint.tls) {
    result.stream.emplace(std::move(plain));
    co_return result;
  }
  net::Stream secure(std::move(plain.socket()), *group.tls);
  watchdog.arm(secure, group.connect_timeout);
  if (co_await secure.handshake_client(endpoint.host, group.verify_tls)) {
    result.timed_out = watchdog.expired();
    co_return result;
  }
  result.stream.emplace(std::move(secure));
  co_return result;
}

}  // namespace gatehouse::proxy
