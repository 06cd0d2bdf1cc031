// The `throttling` section as a user writes it: WSO2's built-in tiers, the config's own tiers and
// policies, and each mistake at its line and column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "unit/config/printed_errors.h"

namespace gatehouse::config::throttling_config_test {
namespace {

using ::testing::ElementsAre;

// An API on lines 2 to 9; a test's lines start at line 10.
constexpr std::string_view base = R"(listeners: [{name: http, address: 127.0.0.1:8280}]
apis:
  - name: PizzaShack
    version: 1.0.0
    context: /pizzashack
    endpoints: {production: [http://127.0.0.1:9000]}
    resources:
      - {method: GET, path: /menu}
      - {method: POST, path: /order}
)";

std::expected<Config, ConfigErrors> load(std::string_view extra) {
  return load_string(std::string(base) + std::string(extra), "gw.yaml");
}

std::vector<std::string> errors_of(std::string_view extra) {
  return printed_errors(load(extra));
}

template <class Item>
std::vector<std::string> names(const std::vector<Item>& items) {
  std::vector<std::string> result;
  for (const Item& item : items) result.push_back(item.name);
  return result;
}

template <class Item>
const Item& named(const std::vector<Item>& items, std::string_view name) {
  const auto found = std::ranges::find(items, name, &Item::name);
  if (found == items.end()) throw std::runtime_error("no item " + std::string(name));
  return *found;
}

Quota requests(uint64_t amount, uint32_t count, TimeUnit unit, bool sliding = false) {
  return Quota{QuotaKind::requests, amount, WindowSpec{count, unit, sliding}};
}

MATCHER_P(IsQuota, expected, "") {
  return arg.has_value() && arg->kind == expected.kind && arg->amount == expected.amount &&
         arg->window == expected.window;
}

TEST(ThrottlingConfig, BuiltInsHaveWso2sNumbers) {
  auto loaded = load("");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottlingConfig& throttling = loaded->throttling;
  EXPECT_THAT(names(throttling.subscription_tiers),
              ElementsAre("Bronze", "Silver", "Gold", "Unlimited", "Unauthenticated"));
  const auto per_minute = [](uint64_t amount) { return requests(amount, 1, TimeUnit::minute); };
  const std::vector<Tier>& subscription = throttling.subscription_tiers;
  EXPECT_THAT(named(subscription, "Bronze").quota, IsQuota(per_minute(1000)));
  EXPECT_THAT(named(subscription, "Silver").quota, IsQuota(per_minute(2000)));
  EXPECT_THAT(named(subscription, "Gold").quota, IsQuota(per_minute(5000)));
  EXPECT_FALSE(named(subscription, "Unlimited").quota);
  EXPECT_THAT(named(subscription, "Unauthenticated").quota, IsQuota(per_minute(500)));
  for (const Tier& tier : subscription) {
    EXPECT_TRUE(tier.stop_on_quota_reach);
    EXPECT_FALSE(tier.burst);
    EXPECT_FALSE(tier.quota && tier.quota->window.sliding);
  }

  EXPECT_THAT(names(throttling.application_tiers),
              ElementsAre("10PerMin", "20PerMin", "50PerMin", "Unlimited"));
  const std::vector<Tier>& application = throttling.application_tiers;
  EXPECT_THAT(named(application, "10PerMin").quota, IsQuota(per_minute(10)));
  EXPECT_THAT(named(application, "20PerMin").quota, IsQuota(per_minute(20)));
  EXPECT_THAT(named(application, "50PerMin").quota, IsQuota(per_minute(50)));
  EXPECT_FALSE(named(application, "Unlimited").quota);

  EXPECT_THAT(names(throttling.api_policies),
              ElementsAre("10KPerMin", "20KPerMin", "50KPerMin", "Unlimited"));
  EXPECT_THAT(named(throttling.api_policies, "10KPerMin").quota, IsQuota(per_minute(10'000)));
  EXPECT_THAT(named(throttling.api_policies, "20KPerMin").quota, IsQuota(per_minute(20'000)));
  EXPECT_THAT(named(throttling.api_policies, "50KPerMin").quota, IsQuota(per_minute(50'000)));
  EXPECT_FALSE(named(throttling.api_policies, "Unlimited").quota);
  EXPECT_TRUE(named(throttling.api_policies, "Unlimited").conditions.empty());

  EXPECT_EQ(throttling.unauthenticated_tier, "Unauthenticated");
  EXPECT_TRUE(throttling.custom_policies.empty());
  EXPECT_TRUE(throttling.blocking_conditions.empty());
  EXPECT_TRUE(throttling.trusted_proxies.empty());
  EXPECT_TRUE(loaded->apis.at(0).throttling.empty());
}

TEST(ThrottlingConfig, ApplicationsAndSubscriptionsDefaultToUnlimited) {
  auto loaded = load(R"(applications: [{id: app}]
subscriptions: [{application: app, api: "PizzaShack:1.0.0"}]
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  EXPECT_EQ(loaded->security.applications.at(0).record.tier, "Unlimited");
  EXPECT_EQ(loaded->security.subscriptions.at(0).record.tier, "Unlimited");
}

TEST(ThrottlingConfig, ConfigTierReplacesTheBuiltInInPlace) {
  auto loaded = load(R"(throttling:
  subscription_tiers:
    - {name: Platinum, requests: 20000}
    - {name: Gold, requests: 6000, per: 1h, window: sliding, stop_on_quota_reach: false}
  application_tiers:
    - {name: Unlimited, requests: 1000000, per: day}
  api_policies:
    - {name: 20KPerMin, requests: 25000}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottlingConfig& throttling = loaded->throttling;
  EXPECT_THAT(names(throttling.subscription_tiers),
              ElementsAre("Bronze", "Silver", "Gold", "Unlimited", "Unauthenticated", "Platinum"));
  const Tier& gold = throttling.subscription_tiers.at(2);
  EXPECT_THAT(gold.quota, IsQuota(requests(6000, 1, TimeUnit::hour, true)));
  EXPECT_FALSE(gold.stop_on_quota_reach);
  EXPECT_EQ(gold.location.line, 13);
  EXPECT_THAT(throttling.subscription_tiers.at(5).quota,
              IsQuota(requests(20000, 1, TimeUnit::minute)));
  EXPECT_THAT(names(throttling.application_tiers),
              ElementsAre("10PerMin", "20PerMin", "50PerMin", "Unlimited"));
  EXPECT_THAT(throttling.application_tiers.at(3).quota,
              IsQuota(requests(1'000'000, 1, TimeUnit::day)));
  EXPECT_THAT(names(throttling.api_policies),
              ElementsAre("10KPerMin", "20KPerMin", "50KPerMin", "Unlimited"));
  EXPECT_THAT(throttling.api_policies.at(1).quota, IsQuota(requests(25000, 1, TimeUnit::minute)));
}

TEST(ThrottlingConfig, WindowsInEveryUnit) {
  auto loaded = load(R"(throttling:
  subscription_tiers:
    - {name: a, requests: 1, per: 1s}
    - {name: b, requests: 1, per: 5m}
    - {name: c, requests: 1, per: 1h}
    - {name: d, requests: 1, per: 1d}
    - {name: e, requests: 1, per: 1w}
    - {name: f, requests: 1, per: 1mo}
    - {name: g, requests: 1, per: second}
    - {name: h, requests: 1, per: week}
    - {name: i, requests: 1, per: month}
    - {name: j, requests: 1, per: 12mo}
    - {name: k, requests: 1, per: 31622400s}
    - {name: l, bandwidth: 10MiB, per: 1h}
)");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const std::vector<Tier>& tiers = loaded->throttling.subscription_tiers;
  const auto window = [&](std::string_view name) { return named(tiers, name).quota->window; };
  EXPECT_EQ(window("a"), (WindowSpec{1, TimeUnit::second}));
  EXPECT_EQ(window("b"), (WindowSpec{5, TimeUnit::minute}));
  EXPECT_EQ(window("c"), (WindowSpec{1, TimeUnit::hour}));
  EXPECT_EQ(window("d"), (WindowSpec{1, TimeUnit::day}));
  EXPECT_EQ(window("e"), (WindowSpec{1, TimeUnit::week}));
  EXPECT_EQ(window("f"), (WindowSpec{1, TimeUnit::month}));
  EXPECT_EQ(window("g"), (WindowSpec{1, TimeUnit::second}));
  EXPECT_EQ(window("h"), (WindowSpec{1, TimeUnit::week}));
  EXPECT_EQ(window("i"), (WindowSpec{1, TimeUnit::month}));
  EXPECT_EQ(window("j"), (WindowSpec{12, TimeUnit::month}));
  EXPECT_EQ(window("k"), (WindowSpec{31'622'400, TimeUnit::second}));
  const Tier& l = named(tiers, "l");
  EXPECT_EQ(l.quota->kind, QuotaKind::bandwidth);
  EXPECT_EQ(l.quota->amount, 10u << 20);
}

// The example of config/throttling_model.h and docs/config.md.
TEST(ThrottlingConfig, FullExample) {
  auto loaded = load_string(R"yaml(listeners: [{name: http, address: 127.0.0.1:8280}]
throttling:
  trusted_proxies: [10.0.0.0/8, "2001:db8::1"]
  unauthenticated_tier: Bronze
  subscription_tiers:
    - name: Gold
      requests: 5000
      per: 1m
      window: fixed
      burst: {requests: 100, per: 1s}
      stop_on_quota_reach: true
  application_tiers:
    - {name: 50PerMin, requests: 50, per: 1m, per_user: true}
  api_policies:
    - name: 10KPerMin
      requests: 10000
      per: 1m
      conditions:
        - when:
            - {ip: 10.0.0.0/8}
            - {header: X-Client, matches: "gold-.*", invert: true}
          requests: 100
          per: 1m
        - when:
            - {ip: 192.0.2.1-192.0.2.9}
            - {query: tier}
            - {claim: groups, matches: "(admin|ops)"}
          bandwidth: 1MiB
          per: 1h
  custom_policies:
    - {name: per-user, key: "{user}:{api}", requests: 100, per: 1m}
  blocking_conditions:
    - {ip_range: 192.0.2.0-192.0.2.255}
    - {application: app-id, invert: false}
    - {api: /pizzashack/1.0.0}
    - {user: mallory, invert: true}
    - {ip: "2001:db8::7"}
apis:
  - name: PizzaShack
    version: 1.0.0
    context: /pizzashack
    throttling: 10KPerMin
    endpoints: {production: [http://127.0.0.1:9000]}
    resources:
      - {method: GET, path: /menu, throttling: 20KPerMin}
applications: [{id: app-id, tier: 50PerMin}]
subscriptions: [{application: app-id, api: "PizzaShack:1.0.0", tier: Gold}]
)yaml",
                            "gw.yaml");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  const ThrottlingConfig& throttling = loaded->throttling;
  EXPECT_THAT(throttling.trusted_proxies, ElementsAre("10.0.0.0/8", "2001:db8::1"));
  EXPECT_EQ(throttling.unauthenticated_tier, "Bronze");
  EXPECT_EQ(throttling.unauthenticated_tier_location.line, 4);

  const Tier& gold = throttling.subscription_tiers.at(2);
  EXPECT_EQ(gold.name, "Gold");
  EXPECT_THAT(gold.quota, IsQuota(requests(5000, 1, TimeUnit::minute)));
  EXPECT_THAT(gold.burst, IsQuota(requests(100, 1, TimeUnit::second)));
  EXPECT_TRUE(gold.stop_on_quota_reach);
  EXPECT_EQ(gold.location.line, 6);

  const Tier& fifty = throttling.application_tiers.at(2);
  EXPECT_EQ(fifty.name, "50PerMin");
  EXPECT_TRUE(fifty.per_user);

  const ApiPolicy& policy = throttling.api_policies.at(0);
  EXPECT_EQ(policy.name, "10KPerMin");
  EXPECT_THAT(policy.quota, IsQuota(requests(10000, 1, TimeUnit::minute)));
  ASSERT_EQ(policy.conditions.size(), 2u);
  const ConditionGroup& first = policy.conditions[0];
  ASSERT_EQ(first.when.size(), 2u);
  EXPECT_EQ(first.when[0].kind, ThrottleCondition::Kind::ip);
  EXPECT_EQ(first.when[0].ip, "10.0.0.0/8");
  EXPECT_FALSE(first.when[0].invert);
  EXPECT_EQ(first.when[1].kind, ThrottleCondition::Kind::header);
  EXPECT_EQ(first.when[1].name, "X-Client");
  EXPECT_EQ(first.when[1].matches, "gold-.*");
  EXPECT_TRUE(first.when[1].invert);
  EXPECT_EQ(first.when[1].location.line, 21);
  EXPECT_EQ(first.quota.amount, 100u);
  const ConditionGroup& second = policy.conditions[1];
  ASSERT_EQ(second.when.size(), 3u);
  EXPECT_EQ(second.when[0].ip, "192.0.2.1-192.0.2.9");
  EXPECT_EQ(second.when[1].kind, ThrottleCondition::Kind::query);
  EXPECT_EQ(second.when[1].name, "tier");
  EXPECT_TRUE(second.when[1].matches.empty());
  EXPECT_EQ(second.when[2].kind, ThrottleCondition::Kind::claim);
  EXPECT_EQ(second.when[2].matches, "(admin|ops)");
  EXPECT_EQ(second.quota.kind, QuotaKind::bandwidth);
  EXPECT_EQ(second.quota.amount, 1u << 20);
  EXPECT_EQ(second.quota.window, (WindowSpec{1, TimeUnit::hour}));

  ASSERT_EQ(throttling.custom_policies.size(), 1u);
  EXPECT_EQ(throttling.custom_policies[0].name, "per-user");
  EXPECT_EQ(throttling.custom_policies[0].key, "{user}:{api}");
  EXPECT_EQ(throttling.custom_policies[0].quota.amount, 100u);

  using Block = BlockingCondition::Kind;
  const std::vector<BlockingCondition>& blocks = throttling.blocking_conditions;
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].kind, Block::ip_range);
  EXPECT_EQ(blocks[0].value, "192.0.2.0-192.0.2.255");
  EXPECT_EQ(blocks[1].kind, Block::application);
  EXPECT_EQ(blocks[1].value, "app-id");
  EXPECT_FALSE(blocks[1].invert);
  EXPECT_EQ(blocks[2].kind, Block::api);
  EXPECT_EQ(blocks[2].value, "/pizzashack/1.0.0");
  EXPECT_EQ(blocks[3].kind, Block::user);
  EXPECT_TRUE(blocks[3].invert);
  EXPECT_EQ(blocks[4].kind, Block::ip);

  const ApiConfig& api = loaded->apis.at(0);
  EXPECT_EQ(api.throttling, "10KPerMin");
  EXPECT_EQ(api.throttling_location.line, 42);
  EXPECT_EQ(api.resources.at(0).throttling, "20KPerMin");
}

TEST(ThrottlingConfig, QuotaErrors) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  subscription_tiers:
    - {name: a, requests: 0}
    - {name: b, requests: 10, bandwidth: 1MiB}
    - {name: c, bandwidth: 0}
    - {name: d, bandwidth: lots}
    - {name: e, requests: 1, per: 5 min}
    - {name: f, requests: 1, per: 0m}
    - {name: g, requests: 1, per: 367d}
    - {name: h, requests: 1, per: 1ms}
    - {name: i, requests: 1, window: rolling}
    - {name: j, per: 1h}
    - {name: k, requests: 1, per_user: true}
)"),
      ElementsAre(
          "gw.yaml:12:27: 'requests' must be an integer from 1 to 1000000000000, got '0'",
          "gw.yaml:13:31: write either 'requests' or 'bandwidth', not both",
          "gw.yaml:14:28: 'bandwidth' must be at least 1 byte, got '0'",
          "gw.yaml:15:28: 'bandwidth' must be a size like 512KiB, 10MB or 1GiB, got 'lots'",
          "gw.yaml:16:35: 'per' must be a window like 1s, 5m, 1h, 1d, 1w or 1mo, got '5 min'",
          "gw.yaml:17:35: 'per' must be greater than 0, got '0m'",
          "gw.yaml:18:35: 'per' must be at most a year (366d, 52w or 12mo), got '367d'",
          "gw.yaml:19:35: 'per' must be a window like 1s, 5m, 1h, 1d, 1w or 1mo, got '1ms'",
          "gw.yaml:20:38: 'window' must be one of fixed, sliding, got 'rolling'",
          "gw.yaml:21:17: 'per' needs 'requests' or 'bandwidth' (without them the tier is "
          "unlimited)",
          "gw.yaml:22:30: unknown key 'per_user' in subscription tier"));
}

TEST(ThrottlingConfig, BurstErrors) {
  EXPECT_THAT(errors_of(R"(throttling:
  subscription_tiers:
    - {name: a, requests: 10, burst: {requests: 5, per: 5s}}
    - {name: b, requests: 10, burst: {per: 1m}}
    - {name: c, requests: 10, burst: {requests: 5, per: 1h}}
    - {name: d, requests: 10, burst: {requests: 5, per: second, bandwidth: 1KiB}}
)"),
              ElementsAre("gw.yaml:12:57: 'per' must be 1s or 1m (a burst is counted per second "
                          "or per minute), got '5s'",
                          "gw.yaml:13:38: missing key 'requests' in burst",
                          "gw.yaml:14:57: 'per' must be 1s or 1m (a burst is counted per second "
                          "or per minute), got '1h'",
                          "gw.yaml:15:65: unknown key 'bandwidth' in burst"));
}

TEST(ThrottlingConfig, RepeatedNamesAtTheSecond) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  subscription_tiers:
    - {name: Gold, requests: 1}
    - {name: Gold, requests: 2}
    - {name: Mine, requests: 1}
    - {name: Mine, requests: 2}
  application_tiers:
    - {name: Unlimited}
    - {name: Unlimited}
  api_policies:
    - {name: p, requests: 1}
    - {name: p, requests: 1}
  custom_policies:
    - {name: c, key: "{ip}", requests: 1}
    - {name: c, key: "{ip}", requests: 1}
)"),
      ElementsAre("gw.yaml:13:7: subscription tier 'Gold' is already defined at line 12",
                  "gw.yaml:15:7: subscription tier 'Mine' is already defined at line 14",
                  "gw.yaml:18:7: application tier 'Unlimited' is already defined at line 17",
                  "gw.yaml:21:7: API policy 'p' is already defined at line 20",
                  "gw.yaml:24:7: custom policy 'c' is already defined at line 23"));
}

TEST(ThrottlingConfig, ApiPolicyErrors) {
  EXPECT_THAT(errors_of(R"(throttling:
  api_policies:
    - {name: nothing}
    - {name: only-per, per: 1h}
    - {name: groups-only, conditions: [{when: [{ip: 10.0.0.1}], requests: 5}]}
    - name: bad-groups
      requests: 10
      conditions:
        - {when: [], requests: 1}
        - {when: [{query: q}]}
        - {requests: 1}
        - {when: [{claim: c}], requests: 1, burst: {requests: 1, per: 1s}}
)"),
              ElementsAre("gw.yaml:12:7: API policy 'nothing' limits nothing: give it 'requests' "
                          "or 'bandwidth', or 'conditions'",
                          "gw.yaml:13:7: API policy 'only-per' limits nothing: give it "
                          "'requests' or 'bandwidth', or 'conditions'",
                          "gw.yaml:13:24: 'per' needs 'requests' or 'bandwidth' (without them "
                          "the policy has no default limit)",
                          "gw.yaml:18:18: 'when' must list at least one condition, got an empty "
                          "list",
                          "gw.yaml:19:11: missing key 'requests' or 'bandwidth' in condition "
                          "group",
                          "gw.yaml:20:11: missing key 'when' in condition group",
                          "gw.yaml:21:45: unknown key 'burst' in condition group"));
}

TEST(ThrottlingConfig, ConditionErrors) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  api_policies:
    - name: p
      requests: 10
      conditions:
        - requests: 1
          when:
            - {}
            - {ip: 10.0.0.1, header: X-A}
            - {ip: 10.0.0.256}
            - {ip: 10.0.0.0/33}
            - {ip: 10.0.0.9-10.0.0.1}
            - {ip: "10.0.0.1-::1"}
            - {ip: 10.0.0.1, matches: "10.*"}
            - {header: "X A"}
            - {header: X-A, matches: "(unclosed"}
            - {query: q, matches: ""}
            - {claim: ""}
            - {claim: c, invert: maybe}
            - ip
            - {header: X-A, match: a}
)"),
      ElementsAre(
          "gw.yaml:17:15: missing one of 'ip', 'header', 'query' or 'claim' in condition",
          "gw.yaml:18:30: write only one of 'ip', 'header', 'query' or 'claim' per condition",
          "gw.yaml:19:20: 'ip' must be an IPv4 or IPv6 address, a CIDR range or a range "
          "first-last, got '10.0.0.256'",
          "gw.yaml:20:20: 'ip' must be an IPv4 or IPv6 address, a CIDR range or a range "
          "first-last, got '10.0.0.0/33'",
          "gw.yaml:21:20: 'ip' must be a range whose first address is not after its last, got "
          "'10.0.0.9-10.0.0.1'",
          "gw.yaml:22:20: 'ip' must be a range of two IPv4 or two IPv6 addresses, not one of "
          "each, got '10.0.0.1-::1'",
          "gw.yaml:23:30: 'matches' tests a header, query parameter or claim, not an 'ip'",
          "gw.yaml:24:24: 'header' must be a header field name (letters, digits and "
          "!#$%&'*+-.^_`|~), got 'X A'",
          "gw.yaml:25:38: 'matches' must be a valid RE2 regular expression (missing ): "
          "(unclosed), got '(unclosed'",
          "gw.yaml:26:35: 'matches' must not be empty (leave it out to test that the value is "
          "present), got ''",
          "gw.yaml:27:23: 'claim' must not be empty, got ''",
          "gw.yaml:28:34: 'invert' must be true or false, got 'maybe'",
          "gw.yaml:29:15: condition must be a map, got 'ip'",
          "gw.yaml:30:29: unknown key 'match' in condition (did you mean 'matches'?)"));
}

TEST(ThrottlingConfig, CustomPolicyErrors) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  custom_policies:
    - {name: a, key: "{usr}:{api}", requests: 1}
    - {name: b, key: "{user", requests: 1}
    - {name: c, key: "user}", requests: 1}
    - {name: d, key: "{user{api}}", requests: 1}
    - {name: e, key: "all", requests: 1}
    - {name: f, key: "{ip}"}
    - {name: g, requests: 1}
)"),
      ElementsAre("gw.yaml:12:22: 'key' has an unknown placeholder {usr} (the placeholders are "
                  "{user}, {application}, {api}, {resource} and {ip}), got '{usr}:{api}'",
                  "gw.yaml:13:22: 'key' has a '{' without its '}', got '{user'",
                  "gw.yaml:14:22: 'key' has a '}' without its '{', got 'user}'",
                  "gw.yaml:15:22: 'key' has a '{' without its '}', got '{user{api}}'",
                  "gw.yaml:16:22: 'key' must have at least one placeholder: {user}, "
                  "{application}, {api}, {resource} or {ip}, got 'all'",
                  "gw.yaml:17:7: missing key 'requests' or 'bandwidth' in custom policy",
                  "gw.yaml:18:7: missing key 'key' in custom policy"));
}

TEST(ThrottlingConfig, BlockingConditionErrors) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  blocking_conditions:
    - {invert: true}
    - {user: u, application: a}
    - {api: pizzashack/1.0.0}
    - {api: /pizzashack}
    - {api: /pizzashack/1.0.0/}
    - {ip: 10.0.0.0/8}
    - {ip_range: 10.0.0.1}
    - {ip_range: 10.0.0.2-10.0.0.1}
    - {ip_range: "::1-10.0.0.1"}
    - {application: ""}
)"),
      ElementsAre(
          "gw.yaml:12:7: missing one of 'api', 'application', 'user', 'ip' or 'ip_range' in "
          "blocking condition",
          "gw.yaml:13:17: write only one of 'api', 'application', 'user', 'ip' or 'ip_range' "
          "per blocking condition",
          "gw.yaml:14:13: 'api' must start with '/', got 'pizzashack/1.0.0'",
          "gw.yaml:15:13: 'api' must be an API's context and version, like /pizzashack/1.0.0, "
          "got '/pizzashack'",
          "gw.yaml:16:13: 'api' must not end with '/', got '/pizzashack/1.0.0/'",
          "gw.yaml:17:12: 'ip' must be an IPv4 or IPv6 address (a range is written ip_range: "
          "first-last), got '10.0.0.0/8'",
          "gw.yaml:18:18: 'ip_range' must be a range first-last of two IPv4 or two IPv6 "
          "addresses, got '10.0.0.1'",
          "gw.yaml:19:18: 'ip_range' must be a range whose first address is not after its "
          "last, got '10.0.0.2-10.0.0.1'",
          "gw.yaml:20:18: 'ip_range' must be a range of two IPv4 or two IPv6 addresses, not one "
          "of each, got '::1-10.0.0.1'",
          "gw.yaml:21:21: 'application' must not be empty, got ''"));
}

TEST(ThrottlingConfig, SectionErrors) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  trusted_proxies: [10.0.0.1, 10.0.0.0/40, proxy.local]
  unauthenticated_tier: ""
  subscription_tier: []
  application_tiers: {name: a}
)"),
      ElementsAre("gw.yaml:11:31: 'trusted_proxies' must be an IPv4 or IPv6 address or CIDR "
                  "range, got '10.0.0.0/40'",
                  "gw.yaml:11:44: 'trusted_proxies' must be an IPv4 or IPv6 address or CIDR "
                  "range, got 'proxy.local'",
                  "gw.yaml:12:25: 'unauthenticated_tier' must not be empty, got ''",
                  "gw.yaml:13:3: unknown key 'subscription_tier' in throttling (did you mean "
                  "'subscription_tiers'?)",
                  "gw.yaml:14:22: 'application_tiers' must be a list, got a map"));
}

TEST(ThrottlingConfig, ReferencesMustNameTheirKind) {
  EXPECT_THAT(
      errors_of(R"(throttling:
  unauthenticated_tier: Bronz
applications:
  - {id: a, tier: Gold}
  - {id: b, tier: 50PerMinn}
  - {id: c, tier: Free}
subscriptions:
  - {application: a, api: "PizzaShack:1.0.0", tier: 50PerMin}
  - {application: b, api: "PizzaShack:1.0.0", tier: Silverr}
)"),
      ElementsAre("gw.yaml:11:25: subscription tier 'Bronz' is not defined (did you mean "
                  "'Bronze'?)",
                  "gw.yaml:13:5: application tier 'Gold' is not defined ('Gold' is a "
                  "subscription tier)",
                  "gw.yaml:14:5: application tier '50PerMinn' is not defined (did you mean "
                  "'50PerMin'?)",
                  "gw.yaml:15:5: application tier 'Free' is not defined",
                  "gw.yaml:17:5: subscription tier '50PerMin' is not defined ('50PerMin' is an "
                  "application tier)",
                  "gw.yaml:18:5: subscription tier 'Silverr' is not defined (did you mean "
                  "'Silver'?)"));
}

TEST(ThrottlingConfig, ApiAndResourcePoliciesMustExist) {
  EXPECT_THAT(errors_of(R"(  - name: Orders
    version: "2.0"
    context: /orders
    throttling: 10KPerMn
    endpoints: {production: [http://127.0.0.1:9000]}
    resources:
      - {method: GET, path: /a, throttling: Gold}
      - {method: GET, path: /b, throttling: Mine}
      - {method: GET, path: /c, throttling: ""}
throttling:
  api_policies: [{name: Mine, requests: 5}]
)"),
              ElementsAre("gw.yaml:13:17: API policy '10KPerMn' is not defined (did you mean "
                          "'10KPerMin'?)",
                          "gw.yaml:16:45: API policy 'Gold' is not defined ('Gold' is a "
                          "subscription tier)",
                          "gw.yaml:18:45: 'throttling' must not be empty, got ''"));
}

}  // namespace
}  // namespace gatehouse::config::throttling_config_test
