// The Redis client's failures, as the data plane's one error type. Redis holds state the gateway
// shares across its nodes, so the source is the gateway itself; the cause names the server.
#pragma once

#include <string>

#include "core/error.h"
#include "redis/settings.h"

namespace gatehouse::redis {

// kind timeout: no reply in time (the command may still have run); unreachable: nothing was sent
// (not connected, no server found); closed: the connection ended with the command sent and
// unanswered (it may have run).
Error failure(ErrorKind kind, const Address& server, std::string why);
// With what failed said otherwise: "redis master 'mymaster' (sentinels)".
Error failure(ErrorKind kind, std::string cause, std::string why);

}  // namespace gatehouse::redis
