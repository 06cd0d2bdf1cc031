#include "keymanager/server/pushed_requests.h"

#include <algorithm>

#include "keymanager/server/random_token.h"

namespace gatehouse::keymanager {

std::optional<std::string> PushedRequests::push(AuthorizationRequest request, UnixSeconds now) {
  std::string uri = std::string(request_uri_prefix) + random_token();
  const std::lock_guard lock(mutex_);
  if (by_uri_.size() >= max_pushed_requests) {
    std::erase_if(by_uri_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    if (by_uri_.size() >= max_pushed_requests) return std::nullopt;
  }
  by_uri_.emplace(uri, Pushed{std::move(request), now + pushed_request_lifetime});
  return uri;
}

std::optional<AuthorizationRequest> PushedRequests::take(std::string_view request_uri,
                                                         std::string_view client_id,
                                                         UnixSeconds now) {
  const std::lock_guard lock(mutex_);
  const auto found = by_uri_.find(request_uri);
  if (found == by_uri_.end() || found->second.request.client_id != client_id) return std::nullopt;
  std::optional<AuthorizationRequest> request;
  if (found->second.expires_at > now) request = std::move(found->second.request);
  by_uri_.erase(found);
  return request;
}

std::expected<AuthorizationRequest, AuthorizationFailure> take_pushed_request(
    const Form& parameters, PushedRequests& pushed, UnixSeconds now) {
  const auto client_id = parameters.get("client_id");
  const auto request_uri = parameters.get("request_uri");
  std::optional<AuthorizationRequest> request;
  if (client_id && request_uri) request = pushed.take(*request_uri, *client_id, now);
  if (!request) {
    return std::unexpected(
        AuthorizationFailure{{OAuthErrorCode::invalid_request,
                              "the request_uri is unknown, expired, used, or another client's"},
                             {},
                             {}});
  }
  return std::move(*request);
}

}  // namespace gatehouse::keymanager
