// /revocations on the admin listener: revoke a token before it expires, on every worker.
//   POST {"jti": "..."} or {"token": "<the token>"}, optionally "expires_at" (epoch seconds, when
//        the token expires anyway; without it the revocation is kept for a default TTL).
//        202 {"revoked": "jti"|"token", "expires_at": N}: the revocation is on its way to every
//        worker. A token is hashed and neither kept nor echoed. 400 for a bad body; 503 when the
//        revocation list is full.
//   GET  the revoked jtis and how many tokens are revoked by hash.
#pragma once

#include <cstdint>
#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::security {
class Revocations;
}

namespace gatehouse::admin {

// `now`: seconds since the epoch.
AdminResponse revoke_from_json(std::string_view body, security::Revocations& revocations,
                               int64_t now);
AdminResponse list_revocations(const security::Revocations& revocations, int64_t now);

}  // namespace gatehouse::admin
