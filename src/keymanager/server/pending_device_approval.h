// The device authorization a user is asked to approve, carried in the verification page's form as
// the authorization endpoint carries its request (pending_authorization.h): a value of the
// context's HmacSigner with its own typ, valid for 10 minutes, naming the user code and the
// logged-in user the page asked (empty: the form must log in). The form's CSRF token as well.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keymanager/server/hmac_signer.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

struct PendingDeviceApproval {
  std::string user_code;  // normalised (user_code.h)
  std::string subject;
};

std::string seal_device_approval(const HmacSigner& signer, const PendingDeviceApproval& pending,
                                 UnixSeconds now);

// nullopt when `sealed` is not one of seal_device_approval's values, or is too old.
std::optional<PendingDeviceApproval> open_device_approval(const HmacSigner& signer,
                                                          std::string_view sealed, UnixSeconds now);

}  // namespace gatehouse::keymanager
