#include "keymanager/server/access_token_resolution.h"

#include "keymanager/server/access_token.h"
#include "security/jose/claims.h"
#include "security/jose/sha256.h"

namespace gatehouse::keymanager {

std::shared_ptr<const boost::json::object> resolve_access_token(ServerContext& context,
                                                                std::string_view token,
                                                                UnixSeconds now) {
  std::shared_ptr<const boost::json::object> claims;
  // A JWT has dots; an opaque token, base64url after its prefix, has none.
  if (token.find('.') != std::string_view::npos) {
    if (auto verified =
            verify_access_token(context.keys(), context.settings().issuer, token, now)) {
      claims = std::make_shared<const boost::json::object>(std::move(*verified));
    }
  } else {
    claims = context.opaque_tokens()->find(jose::sha256(token), now);
  }
  if (!claims) return nullptr;
  const jose::Claims read(*claims);
  if (context.revoked().contains(read.jti(), now)) return nullptr;
  // A client removed since (its key deleted, its registration too) takes its tokens with it.
  if (!context.clients()->find(read.string_claim("client_id"))) return nullptr;
  return claims;
}

}  // namespace gatehouse::keymanager
