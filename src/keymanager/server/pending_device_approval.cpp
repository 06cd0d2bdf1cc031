#include "keymanager/server/pending_device_approval.h"

#include "keymanager/server/pending_authorization.h"
#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace {

// Not the authorization endpoint's typ: neither form's value passes for the other's.
constexpr std::string_view device_approval_typ = "gatehouse-device-approval+jwt";

}  // namespace

std::string seal_device_approval(const HmacSigner& signer, const PendingDeviceApproval& pending,
                                 UnixSeconds now) {
  return signer.sign(
      boost::json::object{{"user_code", pending.user_code}, {"sub", pending.subject}},
      device_approval_typ, now + pending_authorization_lifetime);
}

std::optional<PendingDeviceApproval> open_device_approval(const HmacSigner& signer,
                                                          std::string_view sealed,
                                                          UnixSeconds now) {
  const auto claims = signer.verify(sealed, device_approval_typ, now);
  if (!claims) return std::nullopt;
  const boost::json::value* user_code = claims->if_contains("user_code");
  if (user_code == nullptr || !user_code->is_string()) return std::nullopt;
  return PendingDeviceApproval{std::string(user_code->get_string()),
                               std::string(jose::Claims(*claims).sub())};
}

}  // namespace gatehouse::keymanager
