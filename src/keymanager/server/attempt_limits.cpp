#include "keymanager/server/attempt_limits.h"

#include <algorithm>

namespace gatehouse::keymanager {

namespace {

AttemptTime attempt_now() {
  return std::chrono::duration_cast<AttemptTime>(
      std::chrono::steady_clock::now().time_since_epoch());
}

std::string address_key(std::string_view client_ip) {
  return "ip:" + std::string(client_ip);
}

std::string user_key(std::string_view username) {
  return "user:" + std::string(username);
}

}  // namespace

std::string client_key(std::string_view client_id) {
  return "client:" + std::string(client_id);
}

void count_failure(ServerContext& context, std::string_view client_ip, std::string_view subject) {
  FailedAttempts& attempts = context.failed_attempts();
  const AttemptTime now = attempt_now();
  attempts.failed(address_key(client_ip), now);
  if (!subject.empty()) attempts.failed(subject, now);
}

int64_t attempt_wait(ServerContext& context, std::string_view client_ip, std::string_view subject) {
  FailedAttempts& attempts = context.failed_attempts();
  const AttemptTime now = attempt_now();
  const int64_t address_wait = attempts.wait(address_key(client_ip), now);
  return subject.empty() ? address_wait : std::max(address_wait, attempts.wait(subject, now));
}

OAuthError shut_out_error(int64_t retry_after) {
  return {.code = OAuthErrorCode::temporarily_unavailable,
          .description = "too many failed attempts: try again later",
          .retry_after = retry_after};
}

std::expected<const identity::StoredUser*, int64_t> check_password(
    ServerContext& context, std::string_view client_ip, std::optional<std::string_view> username,
    std::optional<std::string_view> password) {
  // No name, no user to count: the address alone.
  const std::string user = username ? user_key(*username) : std::string();
  if (const int64_t wait = attempt_wait(context, client_ip, user); wait > 0) {
    return std::unexpected(wait);
  }
  const identity::UserStore* users = context.settings().users;
  const identity::StoredUser* found =
      users && username && password ? users->verify(*username, *password) : nullptr;
  if (found == nullptr) {
    count_failure(context, client_ip, user);
    return std::unexpected(0);
  }
  if (!user.empty()) context.failed_attempts().succeeded(user);
  return found;
}

std::string login_refusal(int64_t wait) {
  if (wait == 0) return "The user name or password is wrong.";
  return "Too many failed sign-ins. Try again in " + std::to_string(wait) + " seconds.";
}

}  // namespace gatehouse::keymanager
