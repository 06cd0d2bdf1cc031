// urn:ietf:params:oauth:grant-type:device_code (RFC 8628 section 3.4): the client polls with the
// device code of its device authorization (device_authorization_endpoint.h) until the user has
// answered at the verification page. Each poll is one job of the store thread, which reads the
// code and records the poll, so two polls of one code never both take its tokens:
//   another client's code, or none:    invalid_grant
//   expired:                           expired_token
//   pending, polled again sooner than the interval:  slow_down, and the interval grows by 5 s
//   pending:                           authorization_pending
//   denied:                            access_denied
//   approved:                          the tokens, once; the code is then redeemed
//   redeemed:                          invalid_grant
// The tokens are those of the authorization code grant: an access token, a refresh token when
// the client may use that grant, and an ID token when the scope has openid.
#include <memory>

#include "keymanager/server/device_authorization_endpoint.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/token_issuance.h"

namespace gatehouse::keymanager {

namespace {

// RFC 8628 section 3.5: "the interval MUST be increased by 5 seconds for this and all subsequent
// requests".
constexpr UnixSeconds slow_down_step = 5;

// What a poll answers, and the code as the poll leaves it.
struct DevicePoll {
  std::optional<OAuthErrorCode> refusal;  // nullopt: the tokens
  DeviceCodeRecord code;
  bool recorded = false;  // whether the poll changes the stored code
};

DevicePoll answer_poll(DeviceCodeRecord code, std::string_view client_id, UnixSeconds now) {
  const auto refuse = [&code](OAuthErrorCode error, bool recorded = false) {
    return DevicePoll{error, std::move(code), recorded};
  };
  if (code.client_id != client_id) return refuse(OAuthErrorCode::invalid_grant);
  if (code.expires_at <= now) return refuse(OAuthErrorCode::expired_token);
  switch (code.status) {
    case DeviceCodeStatus::pending: {
      const bool too_soon = code.last_polled_at != 0 && now - code.last_polled_at < code.interval;
      code.last_polled_at = now;
      if (!too_soon) return refuse(OAuthErrorCode::authorization_pending, true);
      code.interval += slow_down_step;
      return refuse(OAuthErrorCode::slow_down, true);
    }
    case DeviceCodeStatus::denied:
      return refuse(OAuthErrorCode::access_denied);
    case DeviceCodeStatus::redeemed:
      return refuse(OAuthErrorCode::invalid_grant);
    case DeviceCodeStatus::approved:
      code.last_polled_at = now;
      code.status = DeviceCodeStatus::redeemed;
      return DevicePoll{std::nullopt, std::move(code), true};
  }
  return refuse(OAuthErrorCode::invalid_grant);
}

std::string_view refusal_description(OAuthErrorCode error) {
  switch (error) {
    case OAuthErrorCode::expired_token:
      return "the device code has expired";
    case OAuthErrorCode::slow_down:
      return "polling too often: wait longer between requests";
    case OAuthErrorCode::authorization_pending:
      return "the user has not answered yet";
    case OAuthErrorCode::access_denied:
      return "the user denied the request";
    default:
      return "the device code is invalid";
  }
}

class DeviceCodeGrant final : public Grant {
 public:
  std::string_view type() const override { return device_code_grant_type; }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const auto presented = request.form.get("device_code");
    if (!presented) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_request, "device_code is required"});
    }
    const std::string hash = token_hash(*presented);
    const std::string_view client_id = request.client.client_id;
    const UnixSeconds now = request.now;
    auto polled = co_await call_store(
        context.store(), [&](GrantStore& store) -> StoreResult<std::optional<DevicePoll>> {
          auto found = store.find_device_code(hash);
          if (!found) return std::unexpected(std::move(found.error()));
          if (!*found) return std::nullopt;
          DevicePoll poll = answer_poll(std::move(**found), client_id, now);
          if (poll.recorded) {
            auto recorded =
                store.record_device_poll(hash, now, poll.code.interval, poll.code.status);
            if (!recorded) return std::unexpected(std::move(recorded.error()));
          }
          return poll;
        });
    if (!polled) co_return std::unexpected(std::move(polled.error()));
    if (!*polled) {
      co_return std::unexpected(
          OAuthError{OAuthErrorCode::invalid_grant, "the device code is invalid"});
    }
    const DevicePoll& poll = **polled;
    if (poll.refusal) {
      co_return std::unexpected(
          OAuthError{*poll.refusal, std::string(refusal_description(*poll.refusal))});
    }
    FamilyGrant family{.family = new_family(),
                       .subject = poll.code.subject,
                       .scope = poll.code.scope,
                       .context = login_context(poll.code.auth_time)};
    auto issued = co_await issue_in_family(context, request.client, std::move(family), now,
                                           request.certificate_thumbprint);
    if (!issued) co_return issued;
    const Login login{.subject = poll.code.subject, .auth_time = poll.code.auth_time, .nonce = {}};
    co_return with_id_token(context, request.client, login, poll.code.scope, std::move(*issued),
                            now);
  }
};

}  // namespace

std::unique_ptr<const Grant> make_device_code_grant() {
  return std::make_unique<DeviceCodeGrant>();
}

}  // namespace gatehouse::keymanager
