#include "keymanager/server/device_authorization_endpoint.h"

#include <boost/json/object.hpp>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/client_authentication.h"
#include "keymanager/server/endpoint_paths.h"
#include "keymanager/server/random_token.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"
#include "keymanager/server/user_code.h"

namespace gatehouse::keymanager {

boost::asio::awaitable<OAuthAnswer> DeviceAuthorizationEndpoint::handle(
    const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  const auto received = co_await read_client_request(request, "device authorization", context_);
  if (!received) co_return fail(received.error());
  const Client& client = *received->client;
  if (!client.may_use(device_code_grant_type)) {
    co_return fail({OAuthErrorCode::unauthorized_client, "the client may not use this grant type"});
  }
  auto scope = authorization_scope(received->form.get("scope"), client);
  if (!scope) co_return fail(scope.error());

  const UnixSeconds now = context_.now();
  const std::string device_code = random_token();
  const std::string user_code = new_user_code();
  const DeviceCodeRecord record{.device_code_hash = token_hash(device_code),
                                .user_code_hash = token_hash(user_code),
                                .client_id = client.client_id,
                                .scope = std::move(*scope),
                                .interval = context_.settings().device_code_interval.count(),
                                .expires_at = now + device_code_lifetime};
  const auto stored = co_await call_store(
      context_.store(), [&record](GrantStore& store) { return store.put_device_code(record); });
  if (!stored) co_return fail(stored.error());

  const std::string verification_uri =
      std::string(context_.endpoint_base()) + std::string(paths::device_verification);
  const std::string shown = display_user_code(user_code);
  co_return no_store_answer(
      200, boost::json::object{
               {"device_code", device_code},
               {"user_code", shown},
               {"verification_uri", verification_uri},
               {"verification_uri_complete", verification_uri + "?user_code=" + shown},
               {"expires_in", device_code_lifetime},
               {"interval", record.interval},
           });
}

}  // namespace gatehouse::keymanager
