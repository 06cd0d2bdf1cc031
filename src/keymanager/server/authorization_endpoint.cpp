#include "keymanager/server/authorization_endpoint.h"

#include <algorithm>

#include "keymanager/server/attempt_limits.h"
#include "keymanager/server/authorization_page.h"
#include "keymanager/server/authorization_redirect.h"
#include "keymanager/server/pushed_requests.h"
#include "keymanager/server/random_token.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

bool covers(std::string_view granted, std::string_view asked) {
  const std::vector<std::string> had = split_scope(granted);
  return std::ranges::all_of(split_scope(asked), [&had](const std::string& scope) {
    return std::ranges::find(had, scope) != had.end();
  });
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::handle(
    const OAuthRequest& request) const {
  const UnixSeconds now = context_.now();
  if (request.method == "GET") {
    const auto parameters = parse_form_encoded(request.query);
    co_return co_await start(parameters, request, now);
  }
  const auto form = parse_form(request);
  if (form) {
    // The page's form carries the pending request; any other POST is an authorization request
    // (OpenID Connect Core section 3.1.2.1 allows both methods).
    if (const auto sealed = form->get(pending_request_field)) {
      co_return co_await answer_form(*form, *sealed, request, now);
    }
  }
  co_return co_await start(form, request, now);
}

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::start(
    const std::expected<Form, OAuthError>& parameters, const OAuthRequest& request,
    UnixSeconds now) const {
  if (!parameters) co_return authorization_error_page(parameters.error().description);
  // A pushed request (RFC 9126) was checked when it was pushed.
  auto read = parameters->contains("request_uri")
                  ? take_pushed_request(*parameters, context_.pushed_requests(), now)
                  : read_authorization_request(*parameters, *context_.clients());
  if (!read) {
    if (read.error().redirect_uri.empty()) {
      co_return authorization_error_page(read.error().error.description);
    }
    co_return redirect_with_error(read.error(), context_.settings().issuer);
  }
  const AuthorizationRequest& authorization = *read;
  const HmacSigner& signer = context_.browser_signer();
  const std::optional<LoginSession> session =
      authorization.prompt.login ? std::nullopt : read_session(signer, request.cookies, now);
  if (!session) {
    if (authorization.prompt.none) {
      co_return fail(authorization, OAuthErrorCode::login_required, "the user is not logged in");
    }
    co_return page(PendingAuthorization{authorization, {}}, {}, now);
  }
  if (!authorization.prompt.consent) {
    const auto consented = co_await has_consent(session->subject, authorization);
    if (!consented) {
      co_return fail(authorization, consented.error().code, consented.error().description);
    }
    if (*consented) co_return co_await authorized(authorization, *session, false, now);
  }
  if (authorization.prompt.none) {
    co_return fail(authorization, OAuthErrorCode::consent_required,
                   "the user has not agreed to this scope");
  }
  co_return page(PendingAuthorization{authorization, session->subject}, {}, now);
}

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::answer_form(const Form& form,
                                                                       std::string_view sealed,
                                                                       const OAuthRequest& request,
                                                                       UnixSeconds now) const {
  const HmacSigner& signer = context_.browser_signer();
  std::optional<PendingAuthorization> pending = open_pending(signer, sealed, now);
  if (!pending) {
    co_return authorization_error_page("The sign-in form has expired or is not valid.");
  }
  const AuthorizationRequest& authorization = pending->request;
  const auto decision = form.get("decision");
  if (decision == "deny") {
    co_return fail(authorization, OAuthErrorCode::access_denied, "the user denied the request");
  }
  if (decision != "allow") co_return authorization_error_page("The form has no decision.");

  std::optional<LoginSession> session;
  const auto username = form.get("username");
  const auto password = form.get("password");
  const bool logs_in = username || password;
  if (logs_in) {
    const auto user = check_password(context_, request.client_ip, username, password);
    if (!user) {
      pending->subject.clear();
      co_return page(*pending, login_refusal(user.error()), now);
    }
    session = LoginSession{(*user)->name, now};
  } else {
    session = read_session(signer, request.cookies, now);
    // The page asked for consent only of the user it was shown to, whose session must go on.
    if (pending->subject.empty() || !session || session->subject != pending->subject) {
      pending->subject.clear();
      co_return page(*pending, "Sign in to continue.", now);
    }
  }
  const auto stored = co_await store_consent(session->subject, authorization, now);
  if (!stored) co_return fail(authorization, stored.error().code, stored.error().description);
  co_return co_await authorized(authorization, *session, logs_in, now);
}

boost::asio::awaitable<std::expected<bool, OAuthError>> AuthorizationEndpoint::has_consent(
    const std::string& subject, const AuthorizationRequest& request) const {
  const auto found = co_await call_store(context_.store(), [&](GrantStore& store) {
    return store.find_consent(subject, request.client_id);
  });
  if (!found) co_return std::unexpected(found.error());
  co_return *found&& covers((*found)->scope, request.scope);
}

boost::asio::awaitable<std::expected<void, OAuthError>> AuthorizationEndpoint::store_consent(
    const std::string& subject, const AuthorizationRequest& request, UnixSeconds now) const {
  const auto found = co_await call_store(context_.store(), [&](GrantStore& store) {
    return store.find_consent(subject, request.client_id);
  });
  if (!found) co_return std::unexpected(found.error());
  std::vector<std::string> scopes = split_scope(*found ? (*found)->scope : std::string());
  for (std::string& scope : split_scope(request.scope)) {
    if (std::ranges::find(scopes, scope) == scopes.end()) scopes.push_back(std::move(scope));
  }
  const ConsentRecord consent{.subject = subject,
                              .client_id = request.client_id,
                              .scope = join_scope(scopes),
                              .granted_at = now};
  co_return co_await call_store(
      context_.store(), [&consent](GrantStore& store) { return store.put_consent(consent); });
}

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::authorized(
    const AuthorizationRequest& request, const LoginSession& session, bool new_login,
    UnixSeconds now) const {
  // Not a conditional expression: g++ 12 frees a co_await's temporary inside one twice.
  OAuthAnswer answer;
  if (request.response_type == ResponseType::token) {
    answer = co_await issue_token(request, session, now);
  } else {
    answer = co_await issue_code(request, session, now);
  }
  if (new_login) {
    answer.headers.emplace_back("Set-Cookie", session_cookie(context_.browser_signer(), session,
                                                             context_.endpoint_base(), now));
  }
  co_return answer;
}

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::issue_token(
    const AuthorizationRequest& request, const LoginSession& session, UnixSeconds now) const {
  const ClientPtr client = context_.clients()->find(request.client_id);
  if (client == nullptr) {
    co_return fail(request, OAuthErrorCode::unauthorized_client, "the client is unknown");
  }
  // Unbound: the browser, not the client, carries the answer, and no client certificate is seen.
  const auto issued = co_await issue_access_only(context_, *client, session.subject, request.scope,
                                                 now, /*certificate_thumbprint=*/{});
  if (!issued) co_return fail(request, issued.error().code, issued.error().description);
  co_return redirect_with_token(request, issued->access_token, issued->scope, now,
                                context_.settings().issuer);
}

boost::asio::awaitable<OAuthAnswer> AuthorizationEndpoint::issue_code(
    const AuthorizationRequest& request, const LoginSession& session, UnixSeconds now) const {
  const std::string code = random_token();
  const AuthorizationCodeRecord record{
      .code_hash = token_hash(code),
      .client_id = request.client_id,
      .redirect_uri = request.redirect_uri_given ? request.redirect_uri : std::string(),
      .subject = session.subject,
      .scope = request.scope,
      .code_challenge = request.code_challenge,
      .code_challenge_method = request.code_challenge_method,
      .nonce = request.nonce,
      .family = {},
      .expires_at = now + authorization_code_lifetime,
      .used = false,
      .auth_time = session.auth_time};
  const auto stored = co_await call_store(
      context_.store(), [&record](GrantStore& store) { return store.put_code(record); });
  if (!stored) co_return fail(request, stored.error().code, stored.error().description);
  co_return redirect_with_code(request, code, context_.settings().issuer);
}

OAuthAnswer AuthorizationEndpoint::page(const PendingAuthorization& pending, std::string_view error,
                                        UnixSeconds now) const {
  const std::string sealed = seal_pending(context_.browser_signer(), pending, now);
  return authorization_page(AuthorizationPage{.client_id = pending.request.client_id,
                                              .scopes = split_scope(pending.request.scope),
                                              .pending = sealed,
                                              .ask_login = pending.subject.empty(),
                                              .subject = pending.subject,
                                              .error = error});
}

OAuthAnswer AuthorizationEndpoint::fail(const AuthorizationRequest& request, OAuthErrorCode code,
                                        std::string description) const {
  return redirect_with_error(AuthorizationFailure{{code, std::move(description)},
                                                  request.redirect_uri,
                                                  request.state,
                                                  request.response_type == ResponseType::token},
                             context_.settings().issuer);
}

}  // namespace gatehouse::keymanager
