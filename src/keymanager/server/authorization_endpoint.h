// GET and POST /oauth2/authorize (RFC 6749 section 4.1, OpenID Connect Core section 3.1.2): where
// a browser brings a user to log in and to let a client act for them.
//
// A request (authorization_request.h), or the request a client pushed (client_id and request_uri,
// pushed_requests.h), that names no known client or redirect_uri gets an error page; any other
// error goes back to the client (authorization_redirect.h). A valid request:
//   without a session (login_session.h), or with prompt=login: the login and consent page;
//   with a session and a stored consent covering the scope: a code at once;
//   with a session and no such consent, or prompt=consent: the consent page;
//   prompt=none where a page would be shown: login_required or consent_required.
// The page's form (authorization_page.h) comes back as a POST with the pending request
// (pending_authorization.h): deny sends access_denied; allow logs the user in when the form asks
// for a password (a wrong one shows the page again, with an error), stores the consent and sends
// a code, and a new login's session cookie.
//
// A code is 256 random bits, stored only as its hash, valid for 60 seconds and once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <optional>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/form.h"
#include "keymanager/server/login_session.h"
#include "keymanager/server/oauth_message.h"
#include "keymanager/server/pending_authorization.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

inline constexpr UnixSeconds authorization_code_lifetime = 60;

class AuthorizationEndpoint {
 public:
  explicit AuthorizationEndpoint(ServerContext& context) : context_(context) {}

  // GET (the query) or POST (a form); the caller has refused other methods.
  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  boost::asio::awaitable<OAuthAnswer> start(const std::expected<Form, OAuthError>& parameters,
                                            const OAuthRequest& request, UnixSeconds now) const;
  boost::asio::awaitable<OAuthAnswer> answer_form(const Form& form, std::string_view sealed,
                                                  const OAuthRequest& request,
                                                  UnixSeconds now) const;
  // Whether the user agreed to the request's whole scope before.
  boost::asio::awaitable<std::expected<bool, OAuthError>> has_consent(
      const std::string& subject, const AuthorizationRequest& request) const;
  // Adds the request's scope to what the user agreed to for the client.
  boost::asio::awaitable<std::expected<void, OAuthError>> store_consent(
      const std::string& subject, const AuthorizationRequest& request, UnixSeconds now) const;
  // Sends the browser back with what the request asked for, a code or (implicit) a token;
  // `new_login` also sets the session cookie.
  boost::asio::awaitable<OAuthAnswer> authorized(const AuthorizationRequest& request,
                                                 const LoginSession& session, bool new_login,
                                                 UnixSeconds now) const;
  // Stores a code for the user, for the redirect.
  boost::asio::awaitable<OAuthAnswer> issue_code(const AuthorizationRequest& request,
                                                 const LoginSession& session,
                                                 UnixSeconds now) const;
  // The implicit grant: an access token of the client's lifetime, no refresh token.
  boost::asio::awaitable<OAuthAnswer> issue_token(const AuthorizationRequest& request,
                                                  const LoginSession& session,
                                                  UnixSeconds now) const;

  OAuthAnswer page(const PendingAuthorization& pending, std::string_view error,
                   UnixSeconds now) const;
  OAuthAnswer fail(const AuthorizationRequest& request, OAuthErrorCode code,
                   std::string description) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
