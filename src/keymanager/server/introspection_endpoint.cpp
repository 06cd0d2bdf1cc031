#include "keymanager/server/introspection_endpoint.h"

#include <boost/json/object.hpp>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/client_authentication.h"
#include "keymanager/server/form.h"
#include "keymanager/server/store_call.h"
#include "keymanager/server/token_hash.h"

namespace gatehouse::keymanager {

namespace json = boost::json;

namespace {

const json::object inactive{{"active", false}};

json::object access_token_answer(const json::object& claims) {
  json::object answer{{"active", true}, {"token_type", "Bearer"}};
  for (const char* name : {"scope", "client_id", "sub", "aud", "exp", "iat", "iss", "jti",
                           // RFC 8705 section 3.2: what a bound token's holder must present.
                           "cnf",
                           // RFC 8693 section 4.1: who acts for the subject, of an exchanged token.
                           "act"}) {
    if (const json::value* value = claims.if_contains(name)) answer[name] = *value;
  }
  return answer;
}

json::object refresh_token_answer(const RefreshTokenRecord& record, std::string_view issuer) {
  return json::object{
      {"active", true},          {"token_type", "refresh_token"},
      {"scope", record.scope},   {"client_id", record.client_id},
      {"sub", record.subject},   {"exp", record.expires_at},
      {"iat", record.issued_at}, {"iss", issuer},
  };
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> IntrospectionEndpoint::handle(
    const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  const auto received = co_await read_client_request(request, "introspection", context_);
  if (!received) co_return fail(received.error());
  const Form& form = received->form;
  const Client& client = *received->client;
  // Introspection tells about other clients' tokens: a public client proves nothing by its id.
  if (client.public_client) {
    co_return fail({OAuthErrorCode::invalid_client, "a public client cannot introspect tokens"});
  }
  const auto token = form.get("token");
  if (!token) co_return fail({OAuthErrorCode::invalid_request, "token is required"});
  const UnixSeconds now = context_.now();

  if (const auto claims = resolve_access_token(context_, *token, now)) {
    co_return no_store_answer(200, access_token_answer(*claims));
  }
  // No access token of ours: a JWT is inactive, anything else may be a refresh token.
  if (token->find('.') != std::string_view::npos) co_return no_store_answer(200, inactive);
  const std::string hash = token_hash(*token);
  const auto found = co_await call_store(
      context_.store(), [&hash](GrantStore& store) { return store.find_refresh_token(hash); });
  if (!found) co_return fail(found.error());
  if (!*found || (*found)->used || (*found)->expires_at <= now) {
    co_return no_store_answer(200, inactive);
  }
  co_return no_store_answer(200, refresh_token_answer(**found, context_.settings().issuer));
}

}  // namespace gatehouse::keymanager
