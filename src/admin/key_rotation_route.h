// /oauth2/keys/rotate on the admin listener: the built-in key manager's signing key rotated now.
//   POST (no body) 200 {"kid": "<the new key's>", "jwks": {"keys": [...]}}: the new key signs
//        every token from now on; the previous keys stay in the JWKS and verify the tokens they
//        signed until those have expired. 500 when the store could not keep the new key.
// Behind the admin access rules, like every admin route: the key manager's own endpoints on the
// admin listener are not, as they authenticate their clients themselves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::keymanager {
class ServerContext;
}

namespace gatehouse::admin {

inline constexpr std::string_view rotate_signing_key_path = "/oauth2/keys/rotate";

AdminResponse rotate_signing_key(std::string_view method, const AdminServices& services);

// Prometheus series: gatehouse_oauth2_signing_key_rotations_total,
// gatehouse_oauth2_signing_key_age_seconds (of the key that signs, at `now`),
// gatehouse_oauth2_signing_keys (listed in the JWKS).
std::string signing_key_metrics(const keymanager::ServerContext& context, int64_t now);

}  // namespace gatehouse::admin
