// GET and POST /oauth2/device (RFC 8628 section 3.3): where the user approves a device's request.
//   no user_code (GET, or a form without one): the form to type it in (device_page.h);
//   a user_code (the query of verification_uri_complete, or that form): the code looked up by its
//     hash in the store; unknown, expired or answered: the form again, with an error; else the
//     authorization page's login and consent view (authorization_page.h) naming the client and
//     the scopes, with the user code to compare with the device's screen;
//   that view's form (with the pending approval, pending_device_approval.h): deny records the
//     refusal; allow logs the user in when the form asks for a password (a wrong one shows the
//     view again), or takes the session the view was shown to, then records the approval.
// The login session is the authorization endpoint's (login_session.h): a logged-in user is not
// asked for a password, and a login here sets the same cookie.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string_view>

#include "keymanager/server/form.h"
#include "keymanager/server/login_session.h"
#include "keymanager/server/oauth_message.h"
#include "keymanager/server/pending_device_approval.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class DeviceVerificationEndpoint {
 public:
  explicit DeviceVerificationEndpoint(ServerContext& context) : context_(context) {}

  // GET (the query) or POST (a form); the caller has refused other methods.
  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  // The consent view for the typed code, or the code form again.
  boost::asio::awaitable<OAuthAnswer> show(std::string_view typed, const OAuthRequest& request,
                                           UnixSeconds now) const;
  boost::asio::awaitable<OAuthAnswer> answer_form(const Form& form, std::string_view sealed,
                                                  const OAuthRequest& request,
                                                  UnixSeconds now) const;
  // The store's pending device code of a normalised user code; nullopt when there is none now.
  boost::asio::awaitable<std::expected<std::optional<DeviceCodeRecord>, OAuthError>> pending_code(
      const std::string& user_code, UnixSeconds now) const;

  OAuthAnswer consent_view(const DeviceCodeRecord& code, PendingDeviceApproval pending,
                           std::string_view error, UnixSeconds now) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
