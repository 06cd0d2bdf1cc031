// The token validations running on one worker, by token digest. A request whose token another
// request of the same worker is validating waits for that validation's result instead of asking
// the key manager again: a burst of new connections presenting one new token costs one
// introspection per worker, not one per connection. One per worker, NOT thread-safe by design.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <expected>
#include <memory>
#include <optional>

#include "security/auth/auth_error.h"
#include "security/auth/principal.h"
#include "security/auth/token_cache.h"

namespace gatehouse::security {

class ValidationsInFlight {
 public:
  using Result = std::expected<PrincipalPtr, AuthError>;

  // What the caller does about a token: wait for another request's result, or validate it
  // itself and hand the result to the requests waiting (Lead).
  class Lead;

  // The result of the validation of `digest` running on this worker, once it is in; nullopt when
  // none runs, and then `lead` is set: the caller validates.
  boost::asio::awaitable<std::optional<Result>> join(const TokenDigest& digest,
                                                     std::optional<Lead>& lead);

 private:
  struct Running {
    explicit Running(const boost::asio::any_io_executor& executor);
    boost::asio::steady_timer done;  // cancelled when the result is in
    std::optional<Result> result;
  };
  struct DigestHash {
    size_t operator()(const TokenDigest& digest) const;
  };

  absl::flat_hash_map<TokenDigest, std::shared_ptr<Running>, DigestHash> running_;
};

// The validation one request runs for all of its worker's requests with the same token. Its
// result goes to them with finish(), or, if the request ends before (its connection closed), an
// error that tells them to try again themselves.
class ValidationsInFlight::Lead {
 public:
  Lead(ValidationsInFlight& owner, const TokenDigest& digest, std::shared_ptr<Running> running);
  Lead(Lead&& other) noexcept;
  Lead& operator=(Lead&&) = delete;
  ~Lead();

  void finish(const Result& result);

 private:
  ValidationsInFlight* owner_;
  TokenDigest digest_;
  std::shared_ptr<Running> running_;
};

}  // namespace gatehouse::security
