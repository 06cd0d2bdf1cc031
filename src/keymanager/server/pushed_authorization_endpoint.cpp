#include "keymanager/server/pushed_authorization_endpoint.h"

#include <boost/json/object.hpp>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/client_authentication.h"
#include "keymanager/server/pushed_requests.h"

namespace gatehouse::keymanager {

boost::asio::awaitable<OAuthAnswer> PushedAuthorizationEndpoint::handle(
    const OAuthRequest& request) const {
  const auto fail = [this](const OAuthError& error) {
    return error_answer(error, context_.settings().realm);
  };
  const auto received = co_await read_client_request(request, "pushed authorization", context_);
  if (!received) co_return fail(received.error());
  auto read = read_authorization_request(received->form, *received->client);
  if (!read) co_return fail(read.error().error);
  const UnixSeconds now = context_.now();
  const auto uri = context_.pushed_requests().push(std::move(*read), now);
  if (!uri) {
    OAuthAnswer busy =
        no_store_answer(503, {{"error", "temporarily_unavailable"},
                              {"error_description", "too many pushed requests are pending"}});
    busy.headers.emplace_back("Retry-After", std::to_string(pushed_request_lifetime));
    co_return busy;
  }
  co_return no_store_answer(201, {{"request_uri", *uri}, {"expires_in", pushed_request_lifetime}});
}

}  // namespace gatehouse::keymanager
