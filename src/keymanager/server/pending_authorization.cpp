#include "keymanager/server/pending_authorization.h"

#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view pending_typ = "gatehouse-authorization+jwt";

}  // namespace

std::string seal_pending(const HmacSigner& signer, const PendingAuthorization& pending,
                         UnixSeconds now) {
  boost::json::object claims = request_claims(pending.request);
  claims["sub"] = pending.subject;
  return signer.sign(std::move(claims), pending_typ, now + pending_authorization_lifetime);
}

std::optional<PendingAuthorization> open_pending(const HmacSigner& signer, std::string_view sealed,
                                                 UnixSeconds now) {
  const auto claims = signer.verify(sealed, pending_typ, now);
  if (!claims) return std::nullopt;
  auto request = request_of_claims(*claims);
  if (!request) return std::nullopt;
  return PendingAuthorization{std::move(*request), std::string(jose::Claims(*claims).sub())};
}

}  // namespace gatehouse::keymanager
