// Compiling a snapshot, as the health checks see it: an endpoint whose group has active health
// checks gets its probe from the registry the caller gives (the proxy's health checker), and its
// health is what that probe says; without a registry (`gatehouse validate`) none is asked for, and
// every endpoint counts as healthy.
#include "snapshot/snapshot.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"
#include "observability/metrics.h"
#include "throttling/runtime.h"

namespace gatehouse::snapshot {
namespace {

constexpr std::string_view kConfig = R"(listeners:
  - {name: http, address: 127.0.0.1:8280}
apis:
  - name: Checked
    version: v1
    context: /checked
    endpoints:
      production: [http://127.0.0.1:9001, http://127.0.0.1:9002/base]
      sandbox: [http://127.0.0.1:9003]
      health_check: {path: /health, interval: 10s, timeout: 1s}
    resources:
      - {method: GET, path: /items}
  - name: Unchecked
    version: v1
    context: /unchecked
    endpoints:
      production: [http://127.0.0.1:9004]
    resources:
      - {method: GET, path: /items}
)";

// Hands out probes the test sets, and records what it was asked for.
class RecordingRegistry final : public ProbeRegistry {
 public:
  std::shared_ptr<const EndpointProbe> probe(const Endpoint& endpoint, const EndpointGroup&,
                                             const config::HealthCheckConfig& check) override {
    asked.push_back(endpoint.key + check.path);
    probes.push_back(std::make_shared<EndpointProbe>());
    return probes.back();
  }

  std::vector<std::string> asked;
  std::vector<std::shared_ptr<EndpointProbe>> probes;
};

class CompileSnapshot : public ::testing::Test {
 protected:
  SnapshotPtr compile(ProbeRegistry* probes) {
    auto config = config::load_string(kConfig, "gw.yaml");
    EXPECT_TRUE(config.has_value());
    if (!config) return nullptr;
    auto snapshot = compile_snapshot(std::move(*config), metrics_, probes, runtime_, throttling_);
    EXPECT_TRUE(snapshot.has_value());
    return snapshot ? *snapshot : nullptr;
  }

  observability::Metrics metrics_{0, "test"};
  security::Runtime runtime_;
  throttling::Runtime throttling_{16};
};

TEST_F(CompileSnapshot, EndpointsWithHealthChecksReadTheirHealthFromTheRegistrysProbes) {
  RecordingRegistry registry;
  const SnapshotPtr snapshot = compile(&registry);
  ASSERT_NE(snapshot, nullptr);
  EXPECT_EQ(registry.asked, (std::vector<std::string>{"http://127.0.0.1:9001/health",
                                                      "http://127.0.0.1:9002/health",
                                                      "http://127.0.0.1:9003/health"}));
  ASSERT_EQ(registry.probes.size(), 3u);
  ASSERT_EQ(snapshot->apis.size(), 2u);
  const CompiledApi& checked = *snapshot->apis[0];
  const Endpoint& first = *checked.production.endpoints[0];
  const Endpoint& second = *checked.production.endpoints[1];
  const Endpoint& sandbox = *checked.sandbox.endpoints[0];
  EXPECT_TRUE(first.healthy());

  registry.probes[0]->healthy = false;
  registry.probes[2]->healthy = false;
  EXPECT_FALSE(first.healthy());
  EXPECT_TRUE(second.healthy());
  EXPECT_FALSE(sandbox.healthy());

  const Endpoint& unchecked = *snapshot->apis[1]->production.endpoints[0];
  EXPECT_EQ(unchecked.probe, nullptr);
  EXPECT_TRUE(unchecked.healthy());
}

TEST_F(CompileSnapshot, WithoutARegistryNoEndpointHasAProbe) {
  const SnapshotPtr snapshot = compile(nullptr);
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->endpoints.size(), 4u);
  for (const auto& endpoint : snapshot->endpoints) {
    EXPECT_EQ(endpoint->probe, nullptr) << endpoint->key;
    EXPECT_TRUE(endpoint->healthy()) << endpoint->key;
  }
}

}  // namespace
}  // namespace gatehouse::snapshot
