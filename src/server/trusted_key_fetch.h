// The trusted issuers' keys that come from a jwks_uri (keymanager::FetchedKeys), fetched when
// due: at start, every refresh interval, and soon after a JWT names a kid they lack.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <vector>

#include "keymanager/server/settings.h"
#include "outbound/fetch.h"

namespace gatehouse::server {

// On the calling coroutine's executor, the control thread's: each issuer whose fetched keys are
// due is fetched in turn. A failure (no answer, a status other than 200, no usable key) keeps
// the keys there were, and is logged.
boost::asio::awaitable<void> fetch_due_trusted_keys(
    const std::vector<keymanager::TrustedIssuer>& issuers, const outbound::ClientTls& tls);

}  // namespace gatehouse::server
