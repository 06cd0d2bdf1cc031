// The authorization requests clients pushed (RFC 9126), until the browser brings their
// request_uri to /oauth2/authorize: at most 60 seconds, and once.
//
// Kept in memory, not in the grant store: a pushed request lives a minute and is used once, in the
// process that received it, like the pages and sessions of the authorization endpoint, which a
// restart voids as well (the client pushes again); a store write per push would cost a disk sync
// for nothing that must outlive the process. A mutex guards the map: pushes and authorizations
// are calls to the key manager, not the gateway's path for every API call. At most
// max_pushed_requests are held, so that pushes cannot exhaust memory; expired ones are dropped.
#pragma once

#include <expected>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/form.h"
#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

inline constexpr UnixSeconds pushed_request_lifetime = 60;
inline constexpr size_t max_pushed_requests = 10'000;
inline constexpr std::string_view request_uri_prefix = "urn:ietf:params:oauth:request_uri:";

class PushedRequests {
 public:
  // The request_uri of the request, now held; nullopt when max_pushed_requests are held already.
  std::optional<std::string> push(AuthorizationRequest request, UnixSeconds now);

  // The request pushed as `request_uri` by `client_id`, not expired, taken out; nullopt otherwise
  // (another client's request stays for its own).
  std::optional<AuthorizationRequest> take(std::string_view request_uri, std::string_view client_id,
                                           UnixSeconds now);

 private:
  struct Pushed {
    AuthorizationRequest request;
    UnixSeconds expires_at;
  };
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };

  std::mutex mutex_;
  std::unordered_map<std::string, Pushed, Hash, std::equal_to<>> by_uri_;
};

// The authorization request of /oauth2/authorize's `client_id` and `request_uri` parameters (the
// others are ignored: RFC 9126 section 4), or a failure for the error page.
std::expected<AuthorizationRequest, AuthorizationFailure> take_pushed_request(
    const Form& parameters, PushedRequests& pushed, UnixSeconds now);

}  // namespace gatehouse::keymanager
