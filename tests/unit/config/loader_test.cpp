// The minimal config loads into the model with the values written and the documented defaults.
#include "config/loader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "config/node.h"

namespace gatehouse::config {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view minimal = R"(workers: 2
listeners:
  - name: http
    address: 127.0.0.1:8280
  - name: https
    address: 127.0.0.1:8243
    tls: {cert: certs/server.pem, key: certs/server.key}
admin:
  address: 127.0.0.1:9443
apis:
  - name: PizzaShack
    version: 1.0.0
    context: /pizzashack
    endpoints:
      production: [http://127.0.0.1:9000]
    resources:
      - {method: GET, path: /menu}
      - {method: POST, path: /order}
      - {method: GET, path: "/order/{orderId}"}
)";

Config load_ok(std::string_view yaml, const std::string& filename = "/etc/gatehouse/gw.yaml") {
  auto loaded = load_string(yaml, filename);
  if (!loaded) {
    std::string all;
    for (const ConfigError& error : loaded.error()) all += error.to_string() + "\n";
    ADD_FAILURE() << all;
    return {};
  }
  return *loaded;
}

TEST(Loader, MinimalFileHasTheValuesWritten) {
  const Config config = load_ok(minimal);
  EXPECT_EQ(config.file, "/etc/gatehouse/gw.yaml");
  EXPECT_EQ(config.workers, 2u);
  ASSERT_EQ(config.listeners.size(), 2u);
  EXPECT_EQ(config.listeners[0].name, "http");
  EXPECT_EQ(config.listeners[0].address.host, "127.0.0.1");
  EXPECT_EQ(config.listeners[0].address.port, 8280);
  EXPECT_FALSE(config.listeners[0].tls);
  EXPECT_EQ(config.listeners[0].location.line, 3);
  EXPECT_EQ(config.listeners[0].location.column, 5);
  ASSERT_TRUE(config.listeners[1].tls);
  // TLS files are relative to the config file's directory.
  EXPECT_EQ(config.listeners[1].tls->cert_file, "/etc/gatehouse/certs/server.pem");
  EXPECT_EQ(config.listeners[1].tls->key_file, "/etc/gatehouse/certs/server.key");
  EXPECT_EQ(config.listeners[1].tls->client_ca_file, "");
  EXPECT_EQ(config.listeners[1].tls->client_auth, ClientAuth::none);
  ASSERT_TRUE(config.admin);
  EXPECT_EQ(config.admin->address.port, 9443);

  ASSERT_EQ(config.apis.size(), 1u);
  const ApiConfig& api = config.apis[0];
  EXPECT_EQ(api.name, "PizzaShack");
  EXPECT_EQ(api.version, "1.0.0");
  EXPECT_EQ(api.context, "/pizzashack");
  ASSERT_EQ(api.endpoints.production.size(), 1u);
  EXPECT_EQ(api.endpoints.production[0].url, "http://127.0.0.1:9000");
  EXPECT_EQ(api.endpoints.production[0].weight, 1u);
  ASSERT_EQ(api.resources.size(), 3u);
  EXPECT_EQ(api.resources[0].methods, std::vector<std::string>{"GET"});
  EXPECT_EQ(api.resources[0].path, "/menu");
  EXPECT_EQ(api.resources[1].methods, std::vector<std::string>{"POST"});
  EXPECT_EQ(api.resources[2].path, "/order/{orderId}");
  EXPECT_EQ(api.resources[2].location.line, 19);
  EXPECT_EQ(api.resources[2].location.column, 9);
}

TEST(Loader, MinimalFileGetsTheDefaults) {
  const Config config = load_ok(minimal);
  EXPECT_EQ(config.limits.max_header_bytes, 16u * 1024);
  EXPECT_EQ(config.limits.max_headers, 100u);
  EXPECT_EQ(config.limits.max_uri_length, 8u * 1024);
  EXPECT_EQ(config.limits.max_body_bytes, 0u);
  EXPECT_EQ(config.limits.header_timeout, 10s);
  EXPECT_EQ(config.limits.body_timeout, 30s);
  EXPECT_EQ(config.limits.keepalive_timeout, 60s);
  EXPECT_EQ(config.access_log.path, "stdout");
  EXPECT_EQ(config.shutdown_timeout, 10s);
  const ApiConfig& api = config.apis[0];
  EXPECT_EQ(api.host, "");
  EXPECT_FALSE(api.default_version);
  EXPECT_FALSE(api.max_body_bytes);
  EXPECT_TRUE(api.policies.empty());
  EXPECT_TRUE(api.endpoints.sandbox.empty());
  EXPECT_EQ(api.endpoints.load_balancing, LoadBalancing::round_robin);
  EXPECT_EQ(api.endpoints.connect_timeout, 5s);
  EXPECT_EQ(api.endpoints.response_timeout, 60s);
  EXPECT_EQ(api.endpoints.suspension.failures, 3u);
  EXPECT_EQ(api.endpoints.suspension.initial, 1s);
  EXPECT_EQ(api.endpoints.suspension.factor, 2.0);
  EXPECT_EQ(api.endpoints.suspension.max, 60s);
  EXPECT_FALSE(api.endpoints.health_check);
  EXPECT_EQ(api.endpoints.ca_file, "");
  EXPECT_TRUE(api.endpoints.verify_tls);
}

}  // namespace
}  // namespace gatehouse::config
