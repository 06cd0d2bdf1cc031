// The head of an outbound HTTP/1.1 request, written out with the framing fields fetch() owns.
#pragma once

#include <expected>
#include <string>

#include "outbound/fetch.h"
#include "outbound/url.h"

namespace gatehouse::outbound {

// Refuses a method or header field that is not valid HTTP (a CR or LF in a value would let a
// caller's data split the request), and header fields whose framing role belongs to fetch().
std::expected<std::string, std::string> request_head(const Request& request, const Target& target);

}  // namespace gatehouse::outbound
