// Opens a connection to a backend endpoint: name resolution, TCP connect, TLS handshake with
// verification, all within the group's connect timeout.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>

#include "core/error.h"
#include "net/stream.h"
#include "net/watchdog.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

// The error's source is the backend, its kind unreachable, timeout or tls, its cause the
// endpoint; it is retryable, as nothing of a request was sent yet, and has the kind's default
// answer (the caller knows the API to name in its own).
boost::asio::awaitable<std::expected<net::Stream, Error>> connect_endpoint(
    const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
    net::Watchdog& watchdog);

}  // namespace gatehouse::proxy
