#include "admin/subscription_routes.h"

#include <boost/json/array.hpp>
#include <boost/url/pct_string_view.hpp>

#include "admin/responses.h"
#include "keymanager/server/registered_applications.h"
#include "observability/prometheus_text.h"
#include "security/auth/application_directory.h"
#include "security/identity/subscription_state_label.h"
#include "security/jose/strict_json.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

constexpr std::string_view kSubscriptionsPath = "/subscriptions";

struct SubscriptionPath {
  std::string application_id;
  std::string api;
};

// "/subscriptions/{application}/{api}", each segment percent-decoded; nullopt for anything else.
std::optional<SubscriptionPath> parse_path(std::string_view path) {
  if (!path.starts_with(kSubscriptionsPath) || path.size() <= kSubscriptionsPath.size() + 1)
    return std::nullopt;
  std::string_view rest = path.substr(kSubscriptionsPath.size() + 1);
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto application = boost::urls::make_pct_string_view(rest.substr(0, slash));
  auto api = boost::urls::make_pct_string_view(rest.substr(slash + 1));
  if (!application || !api || application->empty() || api->empty()) return std::nullopt;
  SubscriptionPath parsed{application->decode(), api->decode()};
  if (parsed.api.find('/') != std::string::npos) return std::nullopt;
  return parsed;
}

json::object to_json(const identity::Subscription& subscription) {
  return {{"application", subscription.application_id},
          {"api", subscription.api},
          {"tier", subscription.tier},
          {"state", identity::subscription_state_label(subscription.state)}};
}

// The request body of a PUT as the subscription it asks for, or why it is not one.
std::expected<identity::Subscription, std::string> parse_body(std::string_view body,
                                                              SubscriptionPath path) {
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  identity::Subscription subscription{std::move(path.application_id),
                                      std::move(path.api),
                                      {},
                                      identity::SubscriptionState::unblocked};
  for (const auto& member : *parsed) {
    if (member.key() != "tier" && member.key() != "state") {
      return std::unexpected("unknown member '" + std::string(member.key()) +
                             "'; expected \"tier\" and optionally \"state\"");
    }
  }
  const json::value* tier = parsed->if_contains("tier");
  if (tier == nullptr || !tier->is_string() || tier->get_string().empty()) {
    return std::unexpected("\"tier\" must be a non-empty string");
  }
  subscription.tier = std::string(tier->get_string());
  if (const json::value* state = parsed->if_contains("state")) {
    const auto known =
        state->is_string() ? identity::parse_subscription_state(state->get_string()) : std::nullopt;
    if (!known) {
      return std::unexpected(
          "\"state\" is one of UNBLOCKED, BLOCKED, PROD_ONLY_BLOCKED, ON_HOLD, REJECTED");
    }
    subscription.state = *known;
  }
  return subscription;
}

// Keeps the change made in the key manager's store, if the gateway has one. The change is in
// effect already: a store that fails is a 500 saying that it will not outlive the process.
std::optional<AdminResponse> keep(const SubscriptionUpdates& updates,
                                  security::SubscriptionChange change) {
  if (updates.kept == nullptr) return std::nullopt;
  auto kept = updates.kept->keep(change);
  if (kept) return std::nullopt;
  return server_error("the change is in effect until the gateway stops, but was not kept: " +
                      kept.error());
}

AdminResponse list(const security::ApplicationDirectory& directory) {
  json::array subscriptions;
  for (const identity::Subscription& subscription : directory.subscriptions()) {
    subscriptions.push_back(to_json(subscription));
  }
  return json_response(200, {{"subscriptions", std::move(subscriptions)}});
}

}  // namespace

bool is_subscriptions_path(std::string_view path) {
  return path == kSubscriptionsPath ||
         (path.starts_with(kSubscriptionsPath) && path[kSubscriptionsPath.size()] == '/');
}

AdminResponse route_subscriptions(std::string_view method, std::string_view path,
                                  std::string_view body, const SubscriptionUpdates& updates) {
  security::ApplicationDirectory& directory = *updates.directory;
  if (path == kSubscriptionsPath) {
    if (method == "GET" || method == "HEAD") return list(directory);
    return not_allowed(method, "GET, HEAD");
  }
  std::optional<SubscriptionPath> target = parse_path(path);
  if (!target) {
    return bad_request(
        "a subscription is addressed as /subscriptions/{application}/{Name:Version}");
  }
  if (method == "PUT") {
    auto subscription = parse_body(body, *target);
    if (!subscription) return bad_request(subscription.error());
    if (updates.is_tier && !updates.is_tier(subscription->tier)) {
      return bad_request("\"tier\": '" + subscription->tier +
                         "' is not a subscription tier (throttling.subscription_tiers)");
    }
    const json::object answer = to_json(*subscription);
    security::SubscriptionChange change{target->application_id, target->api, *subscription};
    auto store = directory.put(std::move(*subscription));
    if (!store) return refused(store.error());
    updates.install(*store);
    if (auto failed = keep(updates, std::move(change))) return *failed;
    return json_response(200, answer);
  }
  if (method == "DELETE") {
    auto store = directory.remove(target->application_id, target->api);
    if (!store) return refused(store.error());
    updates.install(*store);
    if (auto failed = keep(updates, {target->application_id, target->api, std::nullopt})) {
      return *failed;
    }
    return {204, {}, {}, {}};
  }
  return not_allowed(method, "PUT, DELETE");
}

std::string subscription_metrics(const security::ApplicationDirectory& directory) {
  const security::SubscriptionsPtr& store = directory.current();
  std::string text;
  observability::append_sample(
      text, "gatehouse_subscription_store_updates_total", "counter",
      "Stores of applications and subscriptions made current: at start, at each reload and at "
      "each change.",
      static_cast<int64_t>(directory.updates()));
  observability::append_sample(text, "gatehouse_subscriptions", "gauge",
                               "Subscriptions in the current store.",
                               static_cast<int64_t>(store ? store->subscription_count() : 0));
  return text;
}

}  // namespace gatehouse::admin
