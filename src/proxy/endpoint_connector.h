// Opens a connection to a backend endpoint: name resolution, TCP connect, TLS handshake with
// verification, all within the group's connect timeout.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>

#include "net/stream.h"
#include "net/watchdog.h"
#include "proxy/snapshot.h"

namespace gatehouse::proxy {

struct ConnectResult {
  std::optional<net::Stream> stream;  // empty: failed
  bool timed_out = false;
};

boost::asio::awaitable<ConnectResult> connect_endpoint(const Endpoint& endpoint,
                                                       const EndpointGroup& group,
                                                       net::Watchdog& watchdog);

}  // namespace gatehouse::proxy
