#include "throttling/level.h"

namespace gatehouse::throttling {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::api:
      return "api";
    case Level::resource:
      return "resource";
    case Level::burst:
      return "burst";
    case Level::subscription:
      return "subscription";
    case Level::unauthenticated:
      return "unauthenticated";
    case Level::application:
      return "application";
    case Level::custom:
      return "custom";
  }
  return "api";
}

}  // namespace gatehouse::throttling
