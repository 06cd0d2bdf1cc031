// A new connection and a first exchange on it, within one deadline: connect, send a few commands
// at once, read their replies. The pipelined connection's handshake (AUTH, SELECT, ROLE) and the
// questions to Sentinels are made this way.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "core/error.h"
#include "net/stream.h"
#include "redis/reply.h"
#include "redis/settings.h"

namespace gatehouse::redis {

struct Dialed {
  net::Stream stream;          // connected, TCP_NODELAY, nothing left unread
  std::vector<Reply> replies;  // one per command, in order; error replies among them
};

// `commands` holds `count` commands as RESP (append_command). Fails with kind unreachable (no
// address, refused, reset), timeout (past `timeout`, the whole exchange), or bad_response (not
// RESP).
boost::asio::awaitable<std::expected<Dialed, Error>> dial(const Address& address,
                                                          const std::string& commands, size_t count,
                                                          std::chrono::milliseconds timeout);

}  // namespace gatehouse::redis
