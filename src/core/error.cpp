#include "core/error.h"

namespace gatehouse {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request:
      return "bad request";
    case ErrorKind::too_large:
      return "too large";
    case ErrorKind::timeout:
      return "timed out";
    case ErrorKind::unreachable:
      return "connection failed";
    case ErrorKind::tls:
      return "TLS handshake failed";
    case ErrorKind::bad_response:
      return "invalid response";
    case ErrorKind::closed:
      return "connection closed";
    case ErrorKind::unauthenticated:
      return "not authenticated";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::internal:
      return "internal error";
  }
  return "unknown";
}

std::string_view to_string(ErrorSource source) {
  switch (source) {
    case ErrorSource::client:
      return "client";
    case ErrorSource::backend:
      return "backend";
    case ErrorSource::identity_provider:
      return "identity provider";
    case ErrorSource::gateway:
      return "gateway";
    case ErrorSource::policy:
      return "policy";
  }
  return "unknown";
}

bool retryable_by_default(ErrorKind kind) {
  return kind == ErrorKind::unreachable || kind == ErrorKind::tls;
}

ApiError default_answer(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request:
      return errors::bad_request("The request is malformed.");
    case ErrorKind::too_large:
      return {413, 413, "Payload Too Large", "The message exceeds its size limit."};
    case ErrorKind::timeout:
      return {504, 101504, "Runtime Error", "The peer did not respond in time."};
    case ErrorKind::unreachable:
      return {503, 101503, "Runtime Error", "The peer could not be reached."};
    case ErrorKind::tls:
      return errors::bad_gateway("The TLS handshake with the peer failed.");
    case ErrorKind::bad_response:
      return errors::bad_gateway("The peer sent an invalid response.");
    case ErrorKind::closed:
      return errors::bad_gateway("The peer closed the connection.");
    case ErrorKind::unauthenticated:
      return {401, 900901, "Invalid Credentials", "The credentials are missing or invalid."};
    case ErrorKind::forbidden:
      return {403, 900908, "Resource forbidden", "The caller may not access this resource."};
    case ErrorKind::internal:
      break;
  }
  return {500, 500, "Internal Server Error", "The gateway failed to handle the request."};
}

Error::Error(ErrorKind kind, ErrorSource source, ApiError answer, std::string cause,
             std::string underlying)
    : details_(std::make_unique<Details>(
          Details{std::move(answer), std::move(cause), std::move(underlying)})),
      kind_(kind),
      source_(source),
      retryable_(retryable_by_default(kind)) {}

Error::Error(ErrorKind kind, ErrorSource source, std::string cause, std::string underlying)
    : Error(kind, source, default_answer(kind), std::move(cause), std::move(underlying)) {}

Error::Error(const Error& other)
    : details_(std::make_unique<Details>(*other.details_)),
      kind_(other.kind_),
      source_(other.source_),
      retryable_(other.retryable_) {}

Error& Error::operator=(const Error& other) {
  if (this != &other) *this = Error(other);
  return *this;
}

Error::~Error() = default;

std::string Error::describe() const {
  std::string text(to_string(kind_));
  const std::string_view cause = details_->cause;
  const std::string_view underlying = details_->underlying;
  if (cause.empty() && underlying.empty()) return text;
  text += " (";
  text += cause;
  if (!cause.empty() && !underlying.empty()) text += ": ";
  text += underlying;
  text += ')';
  return text;
}

}  // namespace gatehouse
