#include "keymanager/server/device_verification_endpoint.h"

#include "keymanager/server/attempt_limits.h"
#include "keymanager/server/authorization_page.h"
#include "keymanager/server/device_page.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/user_code.h"

namespace gatehouse::keymanager {

namespace {

constexpr std::string_view unknown_user_code = "That code is not valid, or has expired.";

// The store failed: the user may try again.
OAuthAnswer device_store_failure() {
  return device_code_page("The service could not check the code. Try again.");
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> DeviceVerificationEndpoint::handle(
    const OAuthRequest& request) const {
  const UnixSeconds now = context_.now();
  const auto form =
      request.method == "GET" ? parse_form_encoded(request.query) : parse_form(request);
  if (!form) co_return device_code_page({});
  if (request.method == "POST") {
    if (const auto sealed = form->get(pending_request_field)) {
      co_return co_await answer_form(*form, *sealed, request, now);
    }
  }
  const auto typed = form->get(user_code_field);
  if (!typed) co_return device_code_page({});
  co_return co_await show(*typed, request, now);
}

boost::asio::awaitable<OAuthAnswer> DeviceVerificationEndpoint::show(std::string_view typed,
                                                                     const OAuthRequest& request,
                                                                     UnixSeconds now) const {
  // Guessing user codes is slowed per address (RFC 8628 section 5.1), as passwords are.
  if (const int64_t wait = attempt_wait(context_, request.client_ip); wait > 0) {
    co_return device_code_page("Too many wrong codes. Try again in " + std::to_string(wait) +
                               " seconds.");
  }
  const std::optional<std::string> user_code = normalise_user_code(typed);
  std::expected<std::optional<DeviceCodeRecord>, OAuthError> code;  // none, for a malformed one
  if (user_code) code = co_await pending_code(*user_code, now);
  if (!code) co_return device_store_failure();
  if (!*code) {
    count_failure(context_, request.client_ip, {});
    co_return device_code_page(unknown_user_code);
  }
  const std::optional<LoginSession> session =
      read_session(context_.browser_signer(), request.cookies, now);
  co_return consent_view(**code, {*user_code, session ? session->subject : std::string()}, {}, now);
}

boost::asio::awaitable<OAuthAnswer> DeviceVerificationEndpoint::answer_form(
    const Form& form, std::string_view sealed, const OAuthRequest& request, UnixSeconds now) const {
  const HmacSigner& signer = context_.browser_signer();
  std::optional<PendingDeviceApproval> pending = open_device_approval(signer, sealed, now);
  if (!pending) co_return device_code_page("The form has expired. Enter the code again.");
  const auto code = co_await pending_code(pending->user_code, now);
  if (!code) co_return device_store_failure();
  if (!*code) co_return device_code_page(unknown_user_code);

  const auto decision = form.get("decision");
  if (decision != "allow" && decision != "deny") co_return device_code_page({});
  std::optional<LoginSession> session;
  const auto username = form.get("username");
  const auto password = form.get("password");
  const bool logs_in = decision == "allow" && (username || password);
  if (logs_in) {
    const auto user = check_password(context_, request.client_ip, username, password);
    if (!user) {
      pending->subject.clear();
      co_return consent_view(**code, std::move(*pending), login_refusal(user.error()), now);
    }
    session = LoginSession{(*user)->name, now};
  } else {
    session = read_session(signer, request.cookies, now);
    // As at the authorization endpoint: the view asked only the user it was shown to. Denying
    // needs no login: whoever holds the code may refuse it.
    const bool same_user =
        session && !pending->subject.empty() && session->subject == pending->subject;
    if (decision == "allow" && !same_user) {
      pending->subject.clear();
      co_return consent_view(**code, std::move(*pending), "Sign in to continue.", now);
    }
    if (!same_user) session.reset();
  }

  const bool approved = decision == "allow";
  const std::string user_code_hash = token_hash(pending->user_code);
  const DeviceCodeStatus answer = approved ? DeviceCodeStatus::approved : DeviceCodeStatus::denied;
  const std::string subject = session ? session->subject : std::string();
  const UnixSeconds auth_time = session ? session->auth_time : 0;
  const auto decided = co_await call_store(context_.store(), [&](GrantStore& store) {
    return store.decide_device_code(user_code_hash, answer, subject, auth_time);
  });
  if (!decided) co_return device_store_failure();
  if (!*decided) co_return device_code_page(unknown_user_code);
  OAuthAnswer page = device_answered_page(approved);
  if (logs_in) {
    page.headers.emplace_back("Set-Cookie",
                              session_cookie(signer, *session, context_.endpoint_base(), now));
  }
  co_return page;
}

boost::asio::awaitable<std::expected<std::optional<DeviceCodeRecord>, OAuthError>>
DeviceVerificationEndpoint::pending_code(const std::string& user_code, UnixSeconds now) const {
  const std::string hash = token_hash(user_code);
  auto found = co_await call_store(context_.store(), [&hash](GrantStore& store) {
    return store.find_device_code_by_user_code(hash);
  });
  if (!found) co_return std::unexpected(std::move(found.error()));
  if (*found && ((*found)->status != DeviceCodeStatus::pending || (*found)->expires_at <= now)) {
    found->reset();
  }
  co_return std::move(*found);
}

OAuthAnswer DeviceVerificationEndpoint::consent_view(const DeviceCodeRecord& code,
                                                     PendingDeviceApproval pending,
                                                     std::string_view error,
                                                     UnixSeconds now) const {
  const std::string note =
      "Check that your device shows the code " + display_user_code(pending.user_code) + ".";
  const std::string sealed = seal_device_approval(context_.browser_signer(), pending, now);
  return authorization_page(AuthorizationPage{.client_id = code.client_id,
                                              .scopes = split_scope(code.scope),
                                              .pending = sealed,
                                              .ask_login = pending.subject.empty(),
                                              .subject = pending.subject,
                                              .error = error,
                                              .note = note,
                                              .action = "device"});
}

}  // namespace gatehouse::keymanager
