// Reads one HTTP/1.1 response from a stream, bounded in head and body size.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <expected>

#include "core/error.h"
#include "net/stream.h"
#include "outbound/fetch.h"

namespace gatehouse::outbound {

// `head_request`: the response has no body whatever its fields say (RFC 9110 9.3.2). A read error
// is reported as bad_response; the caller knows whether its own deadline caused it. Errors name
// `peer` as their cause.
boost::asio::awaitable<std::expected<Response, Error>> read_response(net::Stream& stream,
                                                                     size_t max_body_bytes,
                                                                     bool head_request,
                                                                     std::string_view peer);

}  // namespace gatehouse::outbound
