#include "outbound/error.h"

namespace gatehouse::outbound {

std::string_view to_string(FetchErrorKind kind) {
  switch (kind) {
    case FetchErrorKind::bad_request:
      return "bad request";
    case FetchErrorKind::dns:
      return "name resolution failed";
    case FetchErrorKind::connect:
      return "connection failed";
    case FetchErrorKind::tls:
      return "TLS handshake failed";
    case FetchErrorKind::timeout:
      return "timed out";
    case FetchErrorKind::too_large:
      return "response too large";
    case FetchErrorKind::bad_response:
      return "invalid response";
  }
  return "unknown";
}

}  // namespace gatehouse::outbound
