// One security scheme's check of a request: whether its credential is there, and if so, who it
// stands for. An API's authentication step asks the authenticators of the schemes it lists, in
// the order of the registry (authenticators/registry.cpp), which is the order in which
// credentials are looked for. A new scheme is one file under authenticators/ and one line there.
//
// An authenticator is compiled with its API's security, immutable, and shared by every worker.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/security_model.h"
#include "pipeline/exchange.h"
#include "policies/auth/auth_settings.h"
#include "security/auth/auth_error.h"
#include "security/auth/principal.h"
#include "security/auth/token_cache.h"

namespace gatehouse::policies {

// What one scheme made of a request.
struct Authentication {
  enum class Outcome : uint8_t {
    absent,         // this scheme's credential is not in the request: the next scheme is asked
    authenticated,  // `principal` is the caller; `credential` what it presented
    refused,        // the credential is there and wrong: `error` says why, no other scheme is asked
    wait,           // the check needs I/O (a JWKS fetch, an introspection): authenticate_async
  };

  Outcome outcome = Outcome::absent;
  security::PrincipalPtr principal;
  // A view into the request head (or the connection's client certificate) that outlives the
  // exchange's steps: the key of the caches kept per caller, such as the backend JWT's. Never
  // logged.
  std::string_view credential;
  security::AuthError error{};

  static Authentication absent() { return {}; }
  static Authentication wait() { return {.outcome = Outcome::wait}; }
  static Authentication authenticated(security::PrincipalPtr principal,
                                      std::string_view credential) {
    return {.outcome = Outcome::authenticated,
            .principal = std::move(principal),
            .credential = credential};
  }
  static Authentication refused(security::AuthFailure failure, std::string reason) {
    return {.outcome = Outcome::refused, .error = {failure, std::move(reason)}};
  }
};

// What an authenticator keeps of one request from `authenticate` to `authenticate_async`, in the
// authentication step's per-request state slot: no allocation per request.
struct PendingCheck {
  std::string_view credential;  // in the request head, which outlives the exchange's steps
  security::TokenDigest digest{};
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  virtual config::Scheme scheme() const = 0;

  // Looks for this scheme's credential in the request and checks it, at once when that needs no
  // I/O (an API key, a password or token this worker has seen). `wait`: what the check needs is
  // in `pending`, and authenticate_async finishes it.
  virtual Authentication authenticate(const pipeline::Exchange& exchange,
                                      PendingCheck& pending) const = 0;
  // Called only after authenticate returned `wait`; answers `authenticated` or `refused`.
  virtual boost::asio::awaitable<Authentication> authenticate_async(
      const pipeline::Exchange& exchange, const PendingCheck& pending) const;

  // What the 900902 answer tells a caller to send, e.g. "'Authorization: Bearer ACCESS_TOKEN'".
  virtual std::string expected_credential() const = 0;
  // The HTTP authentication scheme of this scheme's challenges ("Bearer", "Basic"); empty when it
  // has none (API keys, client certificates).
  virtual std::string_view challenge_scheme() const { return {}; }
};

using Authenticators = std::vector<std::unique_ptr<const Authenticator>>;

// The authenticators of the schemes the API's `security` lists, in the registry's order.
Authenticators make_authenticators(const AuthSettings& settings);

}  // namespace gatehouse::policies
