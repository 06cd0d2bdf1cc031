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
  return no_store_answer(200, body);
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> TokenEndpoint::handle(const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  if (request.method != "POST") {
    co_return fail({OAuthErrorCode::invalid_request, "the token endpoint takes POST"});
  }
  const auto form = parse_form(request);
  if (!form) co_return fail(form.error());
  const auto client = authenticate_client(request, *form, context_.clients());
  if (!client) co_return fail(client.error());
  const auto grant_type = form->get("grant_type");
  if (!grant_type) co_return fail({OAuthErrorCode::invalid_request, "grant_type is required"});
  const Grant* grant = context_.grants().find(*grant_type);
  if (grant == nullptr) {
    co_return fail({OAuthErrorCode::unsupported_grant_type, "this grant type is not supported"});
  }
  if (!(*client)->may_use(*grant_type)) {
    co_return fail({OAuthErrorCode::unauthorized_client, "the client may not use this grant type"});
  }
  const UnixSeconds now = context_.now();
  const auto issued = co_await grant->exchange(GrantRequest{*form, **client, now}, context_);
  if (!issued) co_return fail(issued.error());
  co_return token_answer(*issued, now);
}

}  // namespace gatehouse::keymanager
