// /revocations on the admin listener: revoke a token before it expires, on every worker.
//   POST {"jti": "..."} or {"token": "<the token>"}, optionally "expires_at" (epoch seconds, when
//        the token expires anyway). A revocation is kept until the later of expires_at and, for a
//        token that is a JWT, its own exp plus the key managers' largest leeway; with neither,
//        for admin revocations max_lifetime.
//        202 {"revoked": "jti"|"token", "expires_at": N}: the revocation is posted to every
//        worker (the admin listener sends the answer once they all have it), and kept until N. A token is hashed and neither kept nor echoed. 400 for a bad
//        body; 507 when the list holds its capacity of revocations not yet expired (no live
//        revocation is ever forgotten to make room; the refusal is counted in /metrics).
//   GET  the revoked jtis and how many tokens are revoked by hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::security {
class Revocations;
}

namespace gatehouse::admin {

// `now`: seconds since the epoch; `grace`: seconds a token is still admitted past its exp.
AdminResponse revoke_from_json(std::string_view body, security::Revocations& revocations,
                               int64_t now, int64_t grace = 0);
AdminResponse list_revocations(const security::Revocations& revocations, int64_t now);
// Prometheus series: gatehouse_revocations (held, not expired), gatehouse_revocations_capacity,
// gatehouse_revocations_refused_total.
std::string revocation_metrics(const security::Revocations& revocations, int64_t now);

}  // namespace gatehouse::admin
