#include "keymanager/server/token_endpoint.h"

#include <boost/json/object.hpp>

#include "keymanager/server/client_authentication.h"
#include "keymanager/server/form.h"
#include "keymanager/server/grant.h"

namespace gatehouse::keymanager {

namespace {

OAuthAnswer token_answer(const IssuedTokens& issued, UnixSeconds now) {
  boost::json::object body{
      {"access_token", issued.access_token.token},
      {"token_type", "Bearer"},
      {"expires_in", issued.access_token.expires_at - now},
      {"scope", issued.scope},
  };
  if (issued.refresh_token) body["refresh_token"] = *issued.refresh_token;
  if (issued.id_token) body["id_token"] = *issued.id_token;
  if (issued.issued_token_type) body["issued_token_type"] = *issued.issued_token_type;
  return no_store_answer(200, body);
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> TokenEndpoint::handle(const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  const auto received = co_await read_client_request(request, "token", context_);
  if (!received) co_return fail(received.error());
  const Form& form = received->form;
  const Client& client = *received->client;
  const auto grant_type = form.get("grant_type");
  if (!grant_type) co_return fail({OAuthErrorCode::invalid_request, "grant_type is required"});
  const Grant* grant = context_.grants().find(*grant_type);
  if (grant == nullptr) {
    co_return fail({OAuthErrorCode::unsupported_grant_type, "this grant type is not supported"});
  }
  if (!client.may_use(*grant_type)) {
    co_return fail({OAuthErrorCode::unauthorized_client, "the client may not use this grant type"});
  }
  const UnixSeconds now = context_.now();
  const auto issued = co_await grant->exchange(
      GrantRequest{form, client, now, request.client_ip, received->certificate_thumbprint},
      context_);
  if (!issued) co_return fail(issued.error());
  co_return token_answer(*issued, now);
}

}  // namespace gatehouse::keymanager
