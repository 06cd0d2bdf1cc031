// The data plane's one error type: what went wrong (kind), on whose side (source), whether the
// operation may be tried again, what the client is told (an ApiError: status, WSO2 code, body
// text) and why, for the log (cause). A function that can fail returns std::expected<T, Error>.
//
// Errors are rare, so making one may allocate; carrying one is a pointer and three bytes, which
// keeps an expected<T, Error> and the coroutine frames that hold one small, and the success path
// never touches it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/api_error.h"

namespace gatehouse {

enum class ErrorKind : uint8_t {
  bad_request,      // the message cannot be taken as sent: framing, syntax, a refused value
  too_large,        // a head or body exceeds its limit
  timeout,          // the peer did not send or answer in time
  unreachable,      // no connection: the name did not resolve, the connect was refused
  tls,              // the TLS handshake failed: untrusted certificate, wrong name, protocol
  bad_response,     // the peer's answer is not valid HTTP, or not one the gateway can pass on
  closed,           // the peer closed or reset the connection before the exchange ended
  unauthenticated,  // the caller's credentials are missing or invalid (401)
  forbidden,        // the caller is known but not allowed (403)
  internal,         // the gateway itself failed
};

enum class ErrorSource : uint8_t {
  client,             // the API client, downstream
  backend,            // the API's backend endpoint
  identity_provider,  // a service the gateway asks for itself: JWKS, discovery, introspection
  gateway,            // the gateway's own state or configuration
  policy,             // a policy refused the request
};

// Short words for log lines: "timed out", "TLS handshake failed", "backend"...
std::string_view to_string(ErrorKind kind);
std::string_view to_string(ErrorSource source);

// Whether an operation that failed this way may be tried again without the peer seeing the
// request twice, as far as the kind tells: a connection never made (unreachable, tls) carried
// nothing. A timeout or a closed connection may have come after the peer took the request; the
// one who makes the error says otherwise where it knows better (Error::set_retryable).
bool retryable_by_default(ErrorKind kind);

// What a client is told of an error of this kind when its maker gives no answer of its own.
ApiError default_answer(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, ErrorSource source, ApiError answer, std::string cause = {},
        std::string underlying = {});
  // With the kind's default answer: for errors no client sees as they are (a client that left,
  // a key manager's fetch) or whose caller decides the answer (answer_with).
  Error(ErrorKind kind, ErrorSource source, std::string cause, std::string underlying = {});

  Error(const Error& other);
  Error& operator=(const Error& other);
  Error(Error&&) noexcept = default;
  Error& operator=(Error&&) noexcept = default;
  ~Error();

  ErrorKind kind() const { return kind_; }
  ErrorSource source() const { return source_; }
  bool retryable() const { return retryable_; }
  // The client went away: there is no one to answer.
  bool client_gone() const { return source_ == ErrorSource::client && kind_ == ErrorKind::closed; }

  // What the client sees: the status, WSO2's code, and the JSON body.
  const ApiError& answer() const { return details_->answer; }
  int status() const { return details_->answer.status; }
  int code() const { return details_->answer.code; }
  std::string json_body() const { return details_->answer.json_body(); }

  // For the log, never for the client: what failed ("idp.example:443") and, nested, the reason
  // underneath (a system error's message), either possibly empty.
  std::string_view cause() const { return details_->cause; }
  std::string_view underlying() const { return details_->underlying; }
  // "TLS handshake failed (idp.example:443: certificate verify failed)".
  std::string describe() const;

  // Each also on a temporary, so that `return Error(...).set_retryable(true);` moves.
  Error& set_retryable(bool retryable) & {
    retryable_ = retryable;
    return *this;
  }
  Error&& set_retryable(bool retryable) && { return std::move(set_retryable(retryable)); }
  Error& answer_with(ApiError answer) & {
    details_->answer = std::move(answer);
    return *this;
  }
  Error&& answer_with(ApiError answer) && { return std::move(answer_with(std::move(answer))); }

 private:
  struct Details {
    ApiError answer;
    std::string cause;
    std::string underlying;
  };

  std::unique_ptr<Details> details_;  // never null but in a moved-from Error
  ErrorKind kind_;
  ErrorSource source_;
  bool retryable_;
};

}  // namespace gatehouse
