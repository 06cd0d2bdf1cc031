// The `throttling` section (config/throttling_model.h): WSO2's subscription and application tiers,
// advanced (API) policies with their conditions, custom policies and blocking conditions; and the
// check that every tier and policy named elsewhere in the file exists.
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <expected>
#include <span>
#include <unordered_set>

#include "config/sections.h"
#include "config/spelling.h"
#include "config/text_rules.h"
#include "config/units.h"
#include "config/uri_rules.h"
#include "security/identity/ip_matcher.h"

namespace gatehouse::config {
namespace {

// A trillion requests per window: more than a counter will see, and a bound a message can state.
constexpr int64_t max_requests = 1'000'000'000'000;

std::string in_quotes(std::string_view text) {
  return std::string(1, '\'').append(text).append(1, '\'');
}

// ---- Windows: "<n><unit>" or a unit's word.

struct WindowUnit {
  std::string_view suffix;
  std::string_view word;
  TimeUnit unit;
  uint32_t max;  // a year's worth
};

constexpr std::array<WindowUnit, 6> window_units{{
    {"s", "second", TimeUnit::second, 366 * 24 * 3600},
    {"m", "minute", TimeUnit::minute, 366 * 24 * 60},
    {"h", "hour", TimeUnit::hour, 366 * 24},
    {"d", "day", TimeUnit::day, 366},
    {"w", "week", TimeUnit::week, 52},
    {"mo", "month", TimeUnit::month, 12},
}};

std::expected<WindowSpec, std::string> parse_window(std::string_view text) {
  for (const WindowUnit& unit : window_units) {
    if (text == unit.word) return WindowSpec{.count = 1, .unit = unit.unit};
  }
  uint64_t count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  const auto unit = std::ranges::find(
      window_units, std::string_view(end, text.data() + text.size()), &WindowUnit::suffix);
  if (end == text.data() || unit == window_units.end()) {
    return std::unexpected("must be a window like 1s, 5m, 1h, 1d, 1w or 1mo");
  }
  if (ec != std::errc{} || count > unit->max) {
    return std::unexpected("must be at most a year (366d, 52w or 12mo)");
  }
  if (count == 0) return std::unexpected("must be greater than 0");
  return WindowSpec{.count = uint32_t(count), .unit = unit->unit};
}

std::optional<WindowSpec> read_window(const Node& value, ReadContext& context) {
  auto window = parse_window(value.is_scalar() ? value.scalar() : "");
  if (!window) {
    context.errors.push_back(value_error(value, "per", window.error()));
    return std::nullopt;
  }
  return *window;
}

// ---- Quotas.

// What a map says of its limit: `requests` or `bandwidth`, `per` and `window`.
struct QuotaKeys {
  bool written = false;        // `requests` or `bandwidth` is written, valid or not
  std::optional<Quota> quota;  // when written and valid
};

QuotaKeys read_quota(MapReader& map, ReadContext& context) {
  const std::optional<Node> requests = map.get("requests");
  const std::optional<Node> bandwidth = map.get("bandwidth");
  QuotaKeys keys;
  keys.written = map.key_location("requests") || map.key_location("bandwidth");
  Quota quota;
  bool valid = keys.written;
  if (requests && bandwidth) {
    context.errors.push_back(
        {*map.key_location("bandwidth"), "write either 'requests' or 'bandwidth', not both"});
    valid = false;
  } else if (requests) {
    const auto amount = read_integer(*requests, "requests", 1, max_requests, context.errors);
    valid = valid && amount;
    quota.amount = amount.value_or(0);
  } else if (bandwidth) {
    quota.kind = QuotaKind::bandwidth;
    const auto bytes = read_size(*bandwidth, "bandwidth", context.errors);
    if (bytes == 0u) {
      context.errors.push_back(value_error(*bandwidth, "bandwidth", "must be at least 1 byte"));
    }
    valid = valid && bytes.value_or(0) != 0;
    quota.amount = bytes.value_or(0);
  }
  if (const std::optional<Node> per = map.get("per")) {
    const std::optional<WindowSpec> window = read_window(*per, context);
    valid = valid && window;
    if (window) quota.window = *window;
  }
  if (const std::optional<Node> window = map.get("window")) {
    const auto sliding =
        read_choice<bool>(*window, "window", {{"fixed", false}, {"sliding", true}}, context.errors);
    valid = valid && sliding;
    quota.window.sliding = sliding.value_or(false);
  }
  if (valid) keys.quota = quota;
  return keys;
}

// `per` and `window` shape a limit; without `requests` or `bandwidth` there is none to shape.
void check_no_window(const MapReader& map, std::string_view without, ReadContext& context) {
  for (const std::string_view key : {"per", "window"}) {
    if (const std::optional<Location> at = map.key_location(key)) {
      context.errors.push_back({*at, in_quotes(key) +
                                         " needs 'requests' or 'bandwidth' (without them " +
                                         std::string(without) + ")"});
    }
  }
}

void require_quota(const MapReader& map, const QuotaKeys& quota, std::string_view what,
                   ReadContext& context) {
  if (map.is_map() && !quota.written) {
    context.errors.push_back(
        {map.location(), "missing key 'requests' or 'bandwidth' in " + std::string(what)});
  }
}

// Spike arrest: requests per second or per minute, as WSO2 counts it.
std::optional<Quota> read_burst(const Node& node, ReadContext& context) {
  MapReader map(node, "burst", context.errors);
  Quota burst;
  bool valid = map.read_integer("requests", burst.amount, 1, max_requests, Presence::required);
  if (const std::optional<Node> per = map.get("per", Presence::required)) {
    const auto window = parse_window(per->is_scalar() ? per->scalar() : "");
    if (window && window->count == 1 &&
        (window->unit == TimeUnit::second || window->unit == TimeUnit::minute)) {
      burst.window.unit = window->unit;
    } else {
      context.errors.push_back(value_error(
          *per, "per", "must be 1s or 1m (a burst is counted per second or per minute)"));
      valid = false;
    }
  } else {
    valid = false;
  }
  map.finish();
  if (!valid) return std::nullopt;
  return burst;
}

// ---- Addresses.

std::optional<std::string> check_ip_address(std::string_view text) {
  if (parse_ip_address(text)) return std::nullopt;
  return "must be an IPv4 or IPv6 address (a range is written ip_range: first-last)";
}

// An address or a CIDR range, as identity::IpMatcher (which the runtime uses) reads them.
std::optional<std::string> check_ip_or_cidr(std::string_view text) {
  if (identity::IpMatcher::parse({std::string(text)})) return std::nullopt;
  return "must be an IPv4 or IPv6 address or CIDR range";
}

// "first-last": two addresses of one family, the first not after the last.
std::optional<std::string> check_ip_range(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    return "must be a range first-last of two IPv4 or two IPv6 addresses";
  }
  // Each address's bytes in network order: compared as strings, they compare as addresses.
  const auto first = parse_ip_address(text.substr(0, dash));
  const auto last = parse_ip_address(text.substr(dash + 1));
  if (!first || !last) return "must be a range first-last of two IPv4 or two IPv6 addresses";
  if (first->size() != last->size()) {
    return "must be a range of two IPv4 or two IPv6 addresses, not one of each";
  }
  if (*first > *last) {
    return "must be a range whose first address is not after its last";
  }
  return std::nullopt;
}

std::optional<std::string> check_ip_condition(std::string_view text) {
  if (text.find('-') != std::string_view::npos) return check_ip_range(text);
  if (!check_ip_or_cidr(text)) return std::nullopt;
  return "must be an IPv4 or IPv6 address, a CIDR range or a range first-last";
}

// Reads a string and checks it with `rule`, reporting a broken rule at the value.
std::optional<std::string> read_checked(const Node& value, std::string_view key, StringRule rule,
                                        ReadContext& context) {
  std::optional<std::string> text = read_string(value, key, context.errors);
  if (!text) return std::nullopt;
  if (const std::optional<std::string> broken = rule(*text)) {
    context.errors.push_back(value_error(value, key, *broken));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> check_not_empty(std::string_view text) {
  if (text.empty()) return "must not be empty";
  return std::nullopt;
}

// ---- Conditions.

// tchar of RFC 9110, section 5.6.2.
bool is_field_name(std::string_view name) {
  constexpr std::string_view marks = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::ranges::all_of(name, [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           marks.find(c) != std::string_view::npos;
  });
}

std::optional<std::string> check_field_name(std::string_view name) {
  if (is_field_name(name)) return std::nullopt;
  return "must be a header field name (letters, digits and !#$%&'*+-.^_`|~)";
}

std::optional<std::string> check_regex(std::string_view pattern) {
  if (pattern.empty()) return "must not be empty (leave it out to test that the value is present)";
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 regex(pattern, options);
  if (regex.ok()) return std::nullopt;
  return "must be a valid RE2 regular expression (" + printable(regex.error()) + ")";
}

ThrottleCondition read_condition(const Node& node, ReadContext& context) {
  using Kind = ThrottleCondition::Kind;
  static constexpr std::array<std::string_view, 4> kinds{"ip", "header", "query", "claim"};
  static constexpr std::array<StringRule, 4> rules{&check_ip_condition, &check_field_name,
                                                   &check_not_empty, &check_not_empty};
  ThrottleCondition condition;
  condition.location = node.location();
  MapReader map(node, "condition", context.errors);
  const auto one = read_one_of(map, kinds, "condition", context);
  if (one) {
    const auto& [index, value] = *one;
    condition.kind = Kind(index);
    if (auto text = read_checked(value, kinds[index], rules[index], context)) {
      (condition.kind == Kind::ip ? condition.ip : condition.name) = std::move(*text);
    }
  }
  if (const std::optional<Node> matches = map.get("matches")) {
    if (one && one->first == size_t(Kind::ip)) {
      context.errors.push_back({*map.key_location("matches"),
                                "'matches' tests a header, query parameter or claim, not an 'ip'"});
    } else if (auto pattern = read_checked(*matches, "matches", &check_regex, context)) {
      condition.matches = std::move(*pattern);
    }
  }
  map.read_bool("invert", condition.invert);
  map.finish();
  return condition;
}

ConditionGroup read_condition_group(const Node& node, ReadContext& context) {
  ConditionGroup group;
  group.location = node.location();
  MapReader map(node, "condition group", context.errors);
  if (const std::optional<Node> when = map.get("when", Presence::required)) {
    if (const auto items = read_list(*when, "when", context.errors)) {
      if (items->empty()) {
        context.errors.push_back(value_error(*when, "when", "must list at least one condition"));
      }
      for (const Node& item : *items) group.when.push_back(read_condition(item, context));
    }
  }
  const QuotaKeys quota = read_quota(map, context);
  require_quota(map, quota, "condition group", context);
  if (quota.quota) group.quota = *quota.quota;
  map.finish();
  return group;
}

// ---- Tiers and policies.

enum class TierKind { subscription, application };

Tier read_tier(const Node& node, TierKind kind, ReadContext& context) {
  Tier tier;
  tier.location = node.location();
  MapReader map(node, kind == TierKind::subscription ? "subscription tier" : "application tier",
                context.errors);
  map.read_string("name", tier.name, Presence::required);
  const QuotaKeys quota = read_quota(map, context);
  tier.quota = quota.quota;
  if (!quota.written) check_no_window(map, "the tier is unlimited", context);
  if (const std::optional<Node> burst = map.get("burst")) tier.burst = read_burst(*burst, context);
  map.read_bool("stop_on_quota_reach", tier.stop_on_quota_reach);
  if (kind == TierKind::application) map.read_bool("per_user", tier.per_user);
  map.finish();
  return tier;
}

ApiPolicy read_api_policy(const Node& node, ReadContext& context) {
  ApiPolicy policy;
  policy.location = node.location();
  MapReader map(node, "API policy", context.errors);
  map.read_string("name", policy.name, Presence::required);
  const QuotaKeys quota = read_quota(map, context);
  policy.quota = quota.quota;
  bool conditions_unread = false;  // written, but not as a list
  if (const std::optional<Node> conditions = map.get("conditions")) {
    if (const auto items = read_list(*conditions, "conditions", context.errors)) {
      for (const Node& item : *items) {
        policy.conditions.push_back(read_condition_group(item, context));
      }
    } else {
      conditions_unread = true;
    }
  }
  if (!quota.written) {
    check_no_window(map, "the policy has no default limit", context);
    if (map.is_map() && policy.conditions.empty() && !conditions_unread &&
        !map.key_location("conditions")) {
      context.errors.push_back({map.location(), "API policy " + in_quotes(policy.name) +
                                                    " limits nothing: give it 'requests' or "
                                                    "'bandwidth', or 'conditions'"});
    }
  }
  map.finish();
  return policy;
}

// A custom policy's key: literal text and at least one placeholder.
std::optional<std::string> check_key_template(std::string_view key) {
  static constexpr std::array<std::string_view, 5> placeholders{"user", "application", "api",
                                                                "resource", "ip"};
  size_t count = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '}') return "has a '}' without its '{'";
    if (key[i] != '{') continue;
    const size_t close = key.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || key[close] == '{') return "has a '{' without its '}'";
    const std::string_view name = key.substr(i + 1, close - i - 1);
    if (std::ranges::find(placeholders, name) == placeholders.end()) {
      return "has an unknown placeholder {" + printable(name) +
             "} (the placeholders are {user}, {application}, {api}, {resource} and {ip})";
    }
    ++count;
    i = close;
  }
  if (count == 0) {
    return "must have at least one placeholder: {user}, {application}, {api}, {resource} or {ip}";
  }
  return std::nullopt;
}

CustomPolicy read_custom_policy(const Node& node, ReadContext& context) {
  CustomPolicy policy;
  policy.location = node.location();
  MapReader map(node, "custom policy", context.errors);
  map.read_string("name", policy.name, Presence::required);
  if (const std::optional<Node> key = map.get("key", Presence::required)) {
    if (auto text = read_checked(*key, "key", &check_key_template, context)) {
      policy.key = std::move(*text);
    }
  }
  const QuotaKeys quota = read_quota(map, context);
  require_quota(map, quota, "custom policy", context);
  if (quota.quota) policy.quota = *quota.quota;
  map.finish();
  return policy;
}

// An API's context and version, as requests are served at: "/pizzashack/1.0.0".
std::optional<std::string> check_api_path(std::string_view path) {
  if (std::optional<std::string> broken = check_context(path)) return broken;
  if (std::ranges::count(path, '/') < 2) {
    return "must be an API's context and version, like /pizzashack/1.0.0";
  }
  return std::nullopt;
}

BlockingCondition read_blocking_condition(const Node& node, ReadContext& context) {
  using Kind = BlockingCondition::Kind;
  static constexpr std::array<std::string_view, 5> kinds{"api", "application", "user", "ip",
                                                         "ip_range"};
  static constexpr std::array<StringRule, 5> rules{
      &check_api_path, &check_not_empty, &check_not_empty, &check_ip_address, &check_ip_range};
  BlockingCondition condition;
  condition.location = node.location();
  MapReader map(node, "blocking condition", context.errors);
  if (const auto one = read_one_of(map, kinds, "blocking condition", context)) {
    const auto& [index, value] = *one;
    condition.kind = Kind(index);
    if (auto text = read_checked(value, kinds[index], rules[index], context)) {
      condition.value = std::move(*text);
    }
  }
  map.read_bool("invert", condition.invert);
  map.finish();
  return condition;
}

std::vector<std::string> read_trusted_proxies(const Node& list, ReadContext& context) {
  std::vector<std::string> proxies;
  const auto items = read_list(list, "trusted_proxies", context.errors);
  if (!items) return proxies;
  if (items->size() > identity::IpMatcher::max_entries) {
    context.errors.push_back(value_error(
        list, "trusted_proxies",
        "must list at most " + std::to_string(identity::IpMatcher::max_entries) + " entries"));
    return proxies;
  }
  for (const Node& item : *items) {
    if (auto text = read_checked(item, "trusted_proxies", &check_ip_or_cidr, context)) {
      proxies.push_back(std::move(*text));
    }
  }
  return proxies;
}

template <class Item, class Read>
std::vector<Item> read_items(const Node& list, std::string_view name, ReadContext& context,
                             Read read) {
  std::vector<Item> items;
  if (const auto nodes = read_list(list, name, context.errors)) {
    for (const Node& node : *nodes) items.push_back(read(node, context));
  }
  return items;
}

// Adds the config's items to `list`, which holds the built-in ones: an item with a built-in's name
// replaces it where it stands, the others follow in the order written, and a name the config gives
// twice is an error at the second.
template <class Item>
void add_items(std::vector<Item>& list, std::vector<Item> items, std::string_view what,
               ReadContext& context) {
  const auto builtins = std::ssize(list);
  FirstSeen names;
  for (Item& item : items) {
    if (item.name.empty()) continue;  // reported where it was read
    const auto builtin =
        std::ranges::find(list.begin(), list.begin() + builtins, item.name, &Item::name);
    const size_t index = size_t(builtin - list.begin());
    if (const auto first = names.first(item.name, index < size_t(builtins) ? index : list.size())) {
      context.errors.push_back({item.location, std::string(what) + " " + in_quotes(item.name) +
                                                   " is already defined at " +
                                                   line_of(list[*first].location)});
    } else if (index < size_t(builtins)) {
      list[index] = std::move(item);
    } else {
      list.push_back(std::move(item));
    }
  }
}

// The names of one kind of tier or policy, for references to be checked with one probe each.
class Names {
 public:
  template <class Items>
  Names(const Items& items, std::string_view what, std::string_view article)
      : what_(what), article_(article) {
    for (const auto& item : items) names_.push_back(item.name);
    set_.insert(names_.begin(), names_.end());
  }

  bool contains(const std::string& name) const { return set_.contains(name); }

  // Reports `name` at `at` unless it is one of these, with a hint: the other kind it is, or the
  // nearest name of this kind.
  void check(const std::string& name, const Location& at,
             std::initializer_list<const Names*> others, ReadContext& context) const {
    if (contains(name)) return;
    std::string message = what_ + " " + in_quotes(printable(name)) + " is not defined";
    const auto other =
        std::ranges::find_if(others, [&](const Names* o) { return o->contains(name); });
    if (other != others.end()) {
      message += " (" + in_quotes(name) + " is " + (*other)->article_ + " " + (*other)->what_ + ")";
    } else if (const auto near = closest_match(name, names_)) {
      message += " (did you mean " + in_quotes(*near) + "?)";
    }
    context.errors.push_back({at, std::move(message)});
  }

 private:
  std::string what_;
  std::string article_;
  std::vector<std::string> names_;
  std::unordered_set<std::string> set_;
};

}  // namespace

ThrottlingConfig read_throttling(const Node& node, ReadContext& context) {
  ThrottlingConfig throttling;
  MapReader map(node, "throttling", context.errors);
  if (const std::optional<Node> proxies = map.get("trusted_proxies")) {
    throttling.trusted_proxies = read_trusted_proxies(*proxies, context);
  }
  const auto tiers_of = [&](TierKind kind) {
    return [kind](const Node& item, ReadContext& c) { return read_tier(item, kind, c); };
  };
  if (const std::optional<Node> list = map.get("subscription_tiers")) {
    add_items(
        throttling.subscription_tiers,
        read_items<Tier>(*list, "subscription_tiers", context, tiers_of(TierKind::subscription)),
        "subscription tier", context);
  }
  if (const std::optional<Node> list = map.get("application_tiers")) {
    add_items(
        throttling.application_tiers,
        read_items<Tier>(*list, "application_tiers", context, tiers_of(TierKind::application)),
        "application tier", context);
  }
  if (const std::optional<Node> list = map.get("api_policies")) {
    add_items(throttling.api_policies,
              read_items<ApiPolicy>(*list, "api_policies", context, &read_api_policy), "API policy",
              context);
  }
  if (const std::optional<Node> list = map.get("custom_policies")) {
    add_items(throttling.custom_policies,
              read_items<CustomPolicy>(*list, "custom_policies", context, &read_custom_policy),
              "custom policy", context);
  }
  if (const std::optional<Node> list = map.get("blocking_conditions")) {
    throttling.blocking_conditions = read_items<BlockingCondition>(
        *list, "blocking_conditions", context, &read_blocking_condition);
  }
  if (const std::optional<Node> tier = map.get("unauthenticated_tier")) {
    if (auto name = read_checked(*tier, "unauthenticated_tier", &check_not_empty, context)) {
      throttling.unauthenticated_tier = std::move(*name);
      throttling.unauthenticated_tier_location = tier->location();
    }
  }
  if (const std::optional<Node> cluster = map.get("cluster")) {
    throttling.cluster = read_throttle_cluster(*cluster, context);
  }
  map.finish();
  return throttling;
}

void read_throttling_policy_name(MapReader& map, std::string& name, Location& location,
                                 ReadContext& context) {
  if (const std::optional<Node> value = map.get("throttling")) {
    if (auto text = read_checked(*value, "throttling", &check_not_empty, context)) {
      name = std::move(*text);
      location = value->location();
    }
  }
}

void check_throttling_references(const Config& config, ReadContext& context) {
  const ThrottlingConfig& throttling = config.throttling;
  const Names subscription_tiers(throttling.subscription_tiers, "subscription tier", "a");
  const Names application_tiers(throttling.application_tiers, "application tier", "an");
  const Names api_policies(throttling.api_policies, "API policy", "an");
  for (const ApplicationConfig& application : config.security.applications) {
    application_tiers.check(application.record.tier, application.location,
                            {&subscription_tiers, &api_policies}, context);
  }
  for (const SubscriptionConfig& subscription : config.security.subscriptions) {
    subscription_tiers.check(subscription.record.tier, subscription.location,
                             {&application_tiers, &api_policies}, context);
  }
  subscription_tiers.check(throttling.unauthenticated_tier,
                           throttling.unauthenticated_tier_location,
                           {&application_tiers, &api_policies}, context);
  const auto check_policy = [&](const std::string& name, const Location& at) {
    if (!name.empty()) {
      api_policies.check(name, at, {&subscription_tiers, &application_tiers}, context);
    }
  };
  for (const ApiConfig& api : config.apis) {
    check_policy(api.throttling, api.throttling_location);
    for (const ResourceConfig& resource : api.resources) {
      check_policy(resource.throttling, resource.throttling_location);
    }
  }
}

}  // namespace gatehouse::config
