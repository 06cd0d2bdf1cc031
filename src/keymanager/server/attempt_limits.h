// The key manager's use of FailedAttempts (failed_attempts.h): which keys a request is counted
// under, and what a request that is shut out is answered.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "keymanager/server/oauth_error.h"
#include "keymanager/server/server_context.h"
#include "security/identity/user_store.h"

namespace gatehouse::keymanager {

// The key a client's failures are counted under; an address's and a user's are this file's.
std::string client_key(std::string_view client_id);

// Seconds until the request's address, and `subject` when given (a client_key or a user_key),
// may try again; 0 when both may now.
int64_t attempt_wait(ServerContext& context, std::string_view client_ip,
                     std::string_view subject = {});

// A failed attempt of the request's address, and of `subject` when given.
void count_failure(ServerContext& context, std::string_view client_ip, std::string_view subject);

// temporarily_unavailable (429, Retry-After): says nothing of the credentials, which were not
// checked.
OAuthError shut_out_error(int64_t retry_after);

// A user's password, for the login pages and the password grant: the user; else the seconds to
// wait (> 0: shut out, the credentials unchecked) or 0 (a wrong or missing name or password,
// counted for the address and the user).
std::expected<const identity::StoredUser*, int64_t> check_password(
    ServerContext& context, std::string_view client_ip, std::optional<std::string_view> username,
    std::optional<std::string_view> password);

// What the login pages say when check_password refused.
std::string login_refusal(int64_t wait);

}  // namespace gatehouse::keymanager
