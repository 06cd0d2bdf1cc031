// The authorization request while the user logs in and consents, carried without server state:
// a value of the context's HmacSigner in the page's hidden field, valid for 10 minutes. Only this
// process can make one, so it also serves as the form's CSRF token; and it names the user the
// page was shown to, so a consent is never taken for another user's session.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/hmac_signer.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

inline constexpr UnixSeconds pending_authorization_lifetime = 600;

struct PendingAuthorization {
  AuthorizationRequest request;  // as checked when the page was made (its prompt aside)
  // The logged-in user the page asked for consent only; empty: the form must log in.
  std::string subject;
};

std::string seal_pending(const HmacSigner& signer, const PendingAuthorization& pending,
                         UnixSeconds now);

// nullopt when `sealed` is not one of seal_pending's values, or is older than its lifetime.
std::optional<PendingAuthorization> open_pending(const HmacSigner& signer, std::string_view sealed,
                                                 UnixSeconds now);

}  // namespace gatehouse::keymanager
