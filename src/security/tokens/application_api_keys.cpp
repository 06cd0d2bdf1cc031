#include "security/tokens/application_api_keys.h"

#include <vector>

namespace gatehouse::tokens {
namespace {

std::vector<ApiKeySubscription> subscriptions_of(const config::Config& config,
                                                 std::string_view application_id) {
  std::vector<ApiKeySubscription> subscriptions;
  for (const config::SubscriptionConfig& subscription : config.security.subscriptions) {
    if (subscription.record.application_id != application_id) continue;
    ApiKeySubscription entry{subscription.record.api, subscription.record.tier, {}, {}};
    for (const config::ApiConfig& api : config.apis) {
      if (api.name + ":" + api.version == entry.api)
        entry.context = api.context + "/" + api.version;
    }
    subscriptions.push_back(std::move(entry));
  }
  return subscriptions;
}

}  // namespace

std::expected<ApplicationApiKey, ApiKeyRefusal> issue_application_api_key(
    const config::Config& config, const GatewayKey& key, std::string_view application_id,
    const ApiKeyOptions& options, int64_t now) {
  const identity::Application* application = nullptr;
  for (const config::ApplicationConfig& candidate : config.security.applications) {
    if (candidate.record.id == application_id) application = &candidate.record;
  }
  if (application == nullptr) {
    return std::unexpected(ApiKeyRefusal{
        ApiKeyRefusal::Reason::unknown_application,
        "there is no application '" + std::string(application_id) + "' under applications:"});
  }
  auto issued =
      ApiKeyIssuer(key).issue(*application, subscriptions_of(config, application_id), options, now);
  if (!issued) {
    return std::unexpected(
        ApiKeyRefusal{ApiKeyRefusal::Reason::invalid_request, std::move(issued.error())});
  }
  return ApplicationApiKey{std::move(*issued), application->name};
}

}  // namespace gatehouse::tokens
