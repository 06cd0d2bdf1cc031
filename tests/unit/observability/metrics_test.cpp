#include "observability/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace gatehouse::observability {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// The samples of an exposition, by "name{labels}", after checking the text format line by line:
// every sample belongs to a family announced by # HELP and # TYPE before its first sample.
std::map<std::string, std::string> parse_exposition(const std::string& text) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")"
      R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*\})? ([0-9]+(?:\.[0-9]+)?))");
  std::map<std::string, std::string> samples;
  std::set<std::string> helped, typed;
  std::map<std::string, std::string> types;
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kHelp)) {
      EXPECT_TRUE(helped.insert(match[1]).second) << "HELP twice: " << line;
    } else if (std::regex_match(line, match, kType)) {
      EXPECT_TRUE(helped.contains(match[1])) << "TYPE before HELP: " << line;
      EXPECT_TRUE(typed.insert(match[1]).second) << "TYPE twice: " << line;
      types[match[1]] = match[2];
    } else if (std::regex_match(line, match, kSample)) {
      std::string family = match[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string base = family.substr(0, family.size() - std::string(suffix).size());
        if (family.ends_with(suffix) && types[base] == "histogram") family = base;
      }
      EXPECT_TRUE(typed.contains(family)) << "sample before its TYPE: " << line;
      EXPECT_TRUE(samples.emplace(std::string(match[1]) + std::string(match[2]), match[3]).second)
          << "sample twice: " << line;
    } else {
      ADD_FAILURE() << "not exposition format: " << line;
    }
  }
  return samples;
}

TEST(Metrics, RequestCountsFromTwoWorkersAddUpByApiAndExactStatus) {
  Metrics metrics(2, "0.1.0");
  const auto pizza = metrics.api_id("PizzaShack:1.0.0");
  metrics.worker(0).request_done(pizza, 200, 2ms, 1ms);
  metrics.worker(1).request_done(pizza, 200, 2ms, 1ms);
  metrics.worker(1).request_done(pizza, 200, 2ms, 1ms);
  metrics.worker(0).request_done(pizza, 404, 2ms, std::nullopt);
  metrics.worker(1).request_done(pizza, 429, 2ms, std::nullopt);

  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="PizzaShack:1.0.0",status="200"})"), "3");
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="PizzaShack:1.0.0",status="404"})"), "1");
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="PizzaShack:1.0.0",status="429"})"), "1");
  EXPECT_FALSE(samples.contains(R"(gatehouse_requests_total{api="PizzaShack:1.0.0",status="500"})"))
      << "codes that never occurred are not listed";
  EXPECT_EQ(samples.at(R"(gatehouse_request_duration_seconds_count{api="PizzaShack:1.0.0"})"), "5");
  EXPECT_EQ(samples.at(R"(gatehouse_backend_duration_seconds_count{api="PizzaShack:1.0.0"})"), "3")
      << "requests answered without a backend are not backend observations";
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics metrics(2, "0.1.0");
  const auto api = metrics.api_id("Orders:2.0");
  metrics.worker(0).request_done(api, 200, 500us, std::nullopt);   // le 0.001
  metrics.worker(1).request_done(api, 200, 1000us, std::nullopt);  // le 0.001: bounds include
  metrics.worker(0).request_done(api, 200, 3ms, std::nullopt);     // le 0.005
  metrics.worker(1).request_done(api, 200, 20s, std::nullopt);     // only +Inf

  const auto samples = parse_exposition(metrics.render_prometheus());
  const auto bucket = [&](const std::string& le) {
    return samples.at("gatehouse_request_duration_seconds_bucket{api=\"Orders:2.0\",le=\"" + le +
                      "\"}");
  };
  EXPECT_EQ(bucket("0.001"), "2");
  EXPECT_EQ(bucket("0.0025"), "2");
  EXPECT_EQ(bucket("0.005"), "3");
  EXPECT_EQ(bucket("10"), "3");
  EXPECT_EQ(bucket("+Inf"), "4");
  EXPECT_EQ(samples.at(R"(gatehouse_request_duration_seconds_count{api="Orders:2.0"})"), "4");
  EXPECT_EQ(samples.at(R"(gatehouse_request_duration_seconds_sum{api="Orders:2.0"})"), "20.004500");

  // Every bucket from 1 ms to 10 s is there, in increasing order, never decreasing.
  const std::string text = metrics.render_prometheus();
  std::vector<std::string> les;
  uint64_t previous = 0;
  const std::regex kBucket(
      R"re(gatehouse_request_duration_seconds_bucket\{api="Orders:2.0",le="([^"]+)"\} (\d+))re");
  for (std::sregex_iterator it(text.begin(), text.end(), kBucket), end; it != end; ++it) {
    les.push_back((*it)[1]);
    const uint64_t count = std::stoull((*it)[2]);
    EXPECT_GE(count, previous);
    previous = count;
  }
  EXPECT_EQ(les, (std::vector<std::string>{"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                                           "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}));
}

TEST(Metrics, GaugesCountOpenConnectionsAcrossWorkers) {
  Metrics metrics(2, "0.1.0");
  metrics.worker(0).connection_accepted();
  metrics.worker(0).connection_accepted();
  metrics.worker(1).connection_accepted();
  metrics.worker(1).connection_closed();
  metrics.worker(0).upstream_connection_opened();
  metrics.worker(1).upstream_connection_opened();
  metrics.worker(1).upstream_connection_opened();
  metrics.worker(0).upstream_connection_closed();

  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at("gatehouse_client_connections"), "2");
  EXPECT_EQ(samples.at("gatehouse_upstream_connections"), "2");
}

TEST(Metrics, ConnectFailuresAreCountedPerApiAndStartAtZero) {
  Metrics metrics(2, "0.1.0");
  const auto pizza = metrics.api_id("PizzaShack:1.0.0");
  metrics.api_id("Orders:2.0");
  metrics.worker(0).upstream_connect_failed(pizza);
  metrics.worker(1).upstream_connect_failed(pizza);

  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_upstream_connect_failures_total{api="PizzaShack:1.0.0"})"),
            "2");
  EXPECT_EQ(samples.at(R"(gatehouse_upstream_connect_failures_total{api="Orders:2.0"})"), "0");
}

TEST(Metrics, ApiIdsAreStableAcrossReloads) {
  Metrics metrics(1, "0.1.0");
  const auto pizza = metrics.api_id("PizzaShack:1.0.0");
  const auto orders = metrics.api_id("Orders:2.0");
  EXPECT_NE(pizza, orders);
  EXPECT_NE(pizza, Metrics::kUnmatched);
  EXPECT_EQ(metrics.api_id("PizzaShack:1.0.0"), pizza);
  metrics.worker(0).request_done(pizza, 200, 1ms, 1ms);
  metrics.worker(0).request_done(metrics.api_id("PizzaShack:1.0.0"), 200, 1ms, 1ms);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="PizzaShack:1.0.0",status="200"})"), "2");
}

TEST(Metrics, ThrottledRequestsAddUpByLevelAndPolicyAcrossWorkersAndReloads) {
  Metrics metrics(2, "0.1.0");
  const auto gold = metrics.throttle_series("subscription", "Gold");
  const auto burst = metrics.throttle_series("burst", "Gold");
  EXPECT_NE(gold, burst);
  EXPECT_EQ(metrics.throttle_series("subscription", "Gold"), gold);  // a reload asks again
  metrics.worker(0).throttled(gold);
  metrics.worker(1).throttled(gold);
  metrics.worker(1).throttled(burst);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_throttled_total{level="subscription",policy="Gold"})"), "2");
  EXPECT_EQ(samples.at(R"(gatehouse_throttled_total{level="burst",policy="Gold"})"), "1");
  EXPECT_FALSE(samples.contains(R"(gatehouse_throttled_total{level="other",policy="other"})"));
}

TEST(Metrics, ThrottleSeriesPastTheCapCountAsOther) {
  Metrics metrics(1, "0.1.0");
  for (size_t i = 0; i < Metrics::kMaxThrottleSeries; ++i)
    metrics.throttle_series("custom", "policy-" + std::to_string(i));
  const auto overflow = metrics.throttle_series("custom", "one-too-many");
  metrics.worker(0).throttled(overflow);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_throttled_total{level="other",policy="other"})"), "1");
  EXPECT_EQ(samples.at(R"(gatehouse_throttled_total{level="custom",policy="policy-1"})"), "0");
}

TEST(Metrics, UnmatchedRequestsAppearOnlyOnceThereAreAny) {
  Metrics metrics(1, "0.1.0");
  EXPECT_THAT(metrics.render_prometheus(), Not(HasSubstr("unmatched")));
  metrics.worker(0).request_done(Metrics::kUnmatched, 404, 100us, std::nullopt);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="unmatched",status="404"})"), "1");
  EXPECT_EQ(samples.at(R"(gatehouse_request_duration_seconds_count{api="unmatched"})"), "1");
}

TEST(Metrics, StatusOutsideTheHttpRangeCountsAsOther) {
  Metrics metrics(1, "0.1.0");
  const auto api = metrics.api_id("A:1");
  metrics.worker(0).request_done(api, 0, 1ms, std::nullopt);
  metrics.worker(0).request_done(api, 600, 1ms, std::nullopt);
  metrics.worker(0).request_done(api, 599, 1ms, std::nullopt);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="A:1",status="other"})"), "2");
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="A:1",status="599"})"), "1");
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics metrics(1, "0.1.0-\"dev\"");
  const auto api = metrics.api_id("Quote\"Back\\slash\nNew:1");
  metrics.worker(0).request_done(api, 200, 1ms, std::nullopt);
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="Quote\"Back\\slash\nNew:1",status="200"})"),
            "1");
  EXPECT_EQ(samples.at(R"(gatehouse_build_info{version="0.1.0-\"dev\""})"), "1");
}

TEST(Metrics, ApisPastTheLimitShareTheOtherLabel) {
  Metrics metrics(1, "0.1.0");
  for (size_t i = 2; i < Metrics::kMaxApis; ++i) metrics.api_id("Api" + std::to_string(i) + ":1");
  const auto overflow = metrics.api_id("OneTooMany:1");
  EXPECT_EQ(overflow, Metrics::kOtherApis);
  metrics.worker(0).request_done(overflow, 200, 1ms, std::nullopt);
  const std::string text = metrics.render_prometheus();
  EXPECT_THAT(text, HasSubstr(R"(gatehouse_requests_total{api="other",status="200"} 1)"));
  EXPECT_THAT(text, Not(HasSubstr("OneTooMany")));
}

TEST(Metrics, ScrapesWhileWorkersRecordSeeExactTotalsAtTheEnd) {
  Metrics metrics(2, "0.1.0");
  const auto api = metrics.api_id("Busy:1");
  constexpr int kPerWorker = 100'000;
  std::atomic<bool> done{false};
  std::jthread scraper([&] {
    while (!done.load()) parse_exposition(metrics.render_prometheus());
  });
  {
    std::vector<std::jthread> workers;
    for (size_t w = 0; w < 2; ++w) {
      workers.emplace_back([&, w] {
        for (int i = 0; i < kPerWorker; ++i) metrics.worker(w).request_done(api, 200, 1ms, 1ms);
      });
    }
  }
  done = true;
  const auto samples = parse_exposition(metrics.render_prometheus());
  EXPECT_EQ(samples.at(R"(gatehouse_requests_total{api="Busy:1",status="200"})"),
            std::to_string(2 * kPerWorker));
}

}  // namespace
}  // namespace gatehouse::observability
