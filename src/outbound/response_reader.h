// Reads one HTTP/1.1 response from a stream, bounded in head and body size.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <expected>

#include "net/stream.h"
#include "outbound/error.h"
#include "outbound/fetch.h"

namespace gatehouse::outbound {

// `head_request`: the response has no body whatever its fields say (RFC 9110 9.3.2). A read error
// is reported as bad_response; the caller knows whether its own deadline caused it.
boost::asio::awaitable<std::expected<Response, FetchError>> read_response(net::Stream& stream,
                                                                          size_t max_body_bytes,
                                                                          bool head_request);

}  // namespace gatehouse::outbound
