#include "security/tokens/api_key_issuer.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "security/identity/ip_matcher.h"
#include "security/identity/referrer_matcher.h"
#include "security/jose/sign.h"
#include "security/tokens/key_type_label.h"
#include "security/tokens/random_uuid.h"

namespace gatehouse::tokens {
namespace {

namespace json = boost::json;

std::string join(const std::vector<std::string>& entries) {
  std::string joined;
  for (const std::string& entry : entries) {
    if (!joined.empty()) joined += ',';
    joined += entry;
  }
  return joined;
}

// Entries are joined with ',' into one claim, so an entry must not hold one itself.
std::expected<void, std::string> check_entries(const std::vector<std::string>& entries,
                                               std::string_view what, auto parse) {
  for (const std::string& entry : entries) {
    if (entry.find(',') != std::string::npos) {
      return std::unexpected(std::string(what) + " '" + entry + "' contains ','");
    }
  }
  if (auto parsed = parse(entries); !parsed) {
    return std::unexpected(std::string(what) + ": " + parsed.error().message);
  }
  return {};
}

std::expected<json::array, std::string> subscribed_apis(
    std::span<const ApiKeySubscription> subscriptions, json::object& tier_info) {
  json::array apis;
  for (const ApiKeySubscription& subscription : subscriptions) {
    const size_t colon = subscription.api.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == subscription.api.size()) {
      return std::unexpected("subscribed API '" + subscription.api +
                             "' is not written Name:Version");
    }
    apis.push_back(json::object{{"name", subscription.api.substr(0, colon)},
                                {"version", subscription.api.substr(colon + 1)},
                                {"context", subscription.context},
                                {"publisher", subscription.publisher},
                                {"subscriptionTier", subscription.tier}});
    tier_info.emplace(subscription.tier, json::object{});
  }
  return apis;
}

}  // namespace

std::expected<std::string, std::string> ApiKeyIssuer::issue(
    const identity::Application& application, std::span<const ApiKeySubscription> subscriptions,
    const ApiKeyOptions& options, int64_t now) const {
  if (options.validity < std::chrono::seconds(1) || options.validity > max_api_key_validity) {
    return std::unexpected("the validity must be between 1 second and 100 years");
  }
  if (auto checked =
          check_entries(options.permitted_ips, "permitted IP", identity::IpMatcher::parse);
      !checked) {
    return std::unexpected(checked.error());
  }
  if (auto checked = check_entries(options.permitted_referrers, "permitted referrer",
                                   identity::ReferrerMatcher::parse);
      !checked) {
    return std::unexpected(checked.error());
  }
  json::object tier_info;
  std::expected<json::array, std::string> apis = subscribed_apis(subscriptions, tier_info);
  if (!apis) return std::unexpected(apis.error());
  std::expected<std::string, std::string> jti = random_uuid();
  if (!jti) return std::unexpected(jti.error());

  const json::object claims{
      {"iss", issuer_},
      {"aud", api_key_audience},
      {"sub", application.owner.empty() ? application.id : application.owner},
      {"iat", now},
      {"exp", now + options.validity.count()},
      {"jti", *jti},
      {"keytype", key_type_label(options.key_type)},
      {"application", json::object{{"id", application.id},
                                   {"uuid", application.id},
                                   {"name", application.name},
                                   {"tier", application.tier},
                                   {"owner", application.owner}}},
      {"subscribedAPIs", std::move(*apis)},
      {"tierInfo", std::move(tier_info)},
      {"permittedIP", join(options.permitted_ips)},
      {"permittedReferer", join(options.permitted_referrers)},
      {"token_type", "apiKey"},
  };
  jose::Result<std::string> token =
      jose::sign_jwt(claims, key_.key(), key_.alg(), key_.kid(), api_key_type);
  if (!token)
    return std::unexpected("signing failed: " + std::string(jose::to_string(token.error())));
  return std::move(*token);
}

}  // namespace gatehouse::tokens
