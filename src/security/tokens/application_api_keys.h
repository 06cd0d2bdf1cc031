// An API key for one of the configuration's applications, listing its subscriptions (each with
// its API's context where the config defines the API). Shared by `gatehouse api-key` and the
// admin listener's generate route, so that both issue the same key for the same request.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "config/model.h"
#include "security/tokens/api_key_issuer.h"

namespace gatehouse::tokens {

struct ApplicationApiKey {
  std::string api_key;
  std::string application_name;
};

struct ApiKeyRefusal {
  enum class Reason { unknown_application, invalid_request };
  Reason reason;
  std::string message;
};

// `now`: seconds since the epoch.
std::expected<ApplicationApiKey, ApiKeyRefusal> issue_application_api_key(
    const config::Config& config, const GatewayKey& key, std::string_view application_id,
    const ApiKeyOptions& options, int64_t now);

}  // namespace gatehouse::tokens
