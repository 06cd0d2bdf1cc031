#include "policies/throttle/throttle_refusal.h"

namespace gatehouse::policies {

ApiError throttled(throttling::Level level) {
  using throttling::Level;
  switch (level) {
    case Level::api:
      return {429, 900800, "Message throttled out",
              "You have exceeded your quota. The API's limit is reached."};
    case Level::resource:
      return {429, 900802, "Message throttled out",
              "You have exceeded your quota. The resource's limit is reached."};
    case Level::burst:
      return {429, 900807, "Message throttled out",
              "You have exceeded your quota. Too many requests in a short time (burst control)."};
    case Level::subscription:
    case Level::unauthenticated:
      return {429, 900804, "Message throttled out",
              "You have exceeded your quota. The subscription's limit is reached."};
    case Level::application:
      return {429, 900803, "Message throttled out",
              "You have exceeded your quota. The application's limit is reached."};
    case Level::custom:
      return {429, 900806, "Message throttled out",
              "You have exceeded your quota. A custom policy's limit is reached."};
  }
  return {429, 900800, "Message throttled out", "You have exceeded your quota."};
}

ApiError blocked() {
  return {403, 900805, "Message blocked", "You have been blocked from accessing the resource"};
}

ApiError counts_unavailable() {
  return {503, 900809, "Throttling unavailable",
          "The request could not be counted against its limits; try again later"};
}

}  // namespace gatehouse::policies
