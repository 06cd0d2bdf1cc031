// The minimal config loads into the model with the values written and the documented defaults.
#include "config/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
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

// A directory holding the files a config names (certificates), removed after the test.
class ConfigDir {
 public:
  ConfigDir() : path_(std::filesystem::path(testing::TempDir()) / unique_name()) {
    std::filesystem::create_directories(path_ / "certs");
    for (const char* file : {"certs/server.pem", "certs/server.key", "certs/clients.pem"}) {
      std::ofstream(path_ / file) << "PEM\n";
    }
  }
  ~ConfigDir() { std::filesystem::remove_all(path_); }

  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  static std::string unique_name() {
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    return std::string("gatehouse-config-") + test->test_suite_name() + "-" + test->name();
  }
  std::filesystem::path path_;
};

Config load_ok(std::string_view yaml, const std::string& filename) {
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
  const ConfigDir dir;
  const Config config = load_ok(minimal, dir.file("gw.yaml"));
  EXPECT_EQ(config.file, dir.file("gw.yaml"));
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
  EXPECT_EQ(config.listeners[1].tls->cert_file, dir.file("certs/server.pem"));
  EXPECT_EQ(config.listeners[1].tls->key_file, dir.file("certs/server.key"));
  EXPECT_EQ(config.listeners[1].tls->client_ca_file, "");
  EXPECT_EQ(config.listeners[1].tls->client_auth, net::ClientAuth::none);
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
  const ConfigDir dir;
  const Config config = load_ok(minimal, dir.file("gw.yaml"));
  EXPECT_EQ(config.limits.max_header_bytes, 16u * 1024);
  EXPECT_EQ(config.limits.max_headers, 100u);
  EXPECT_EQ(config.limits.max_uri_length, 8u * 1024);
  EXPECT_EQ(config.limits.max_body_bytes, 0u);
  EXPECT_EQ(config.limits.header_timeout, 10s);
  EXPECT_EQ(config.limits.body_timeout, 30s);
  EXPECT_EQ(config.limits.keepalive_timeout, 60s);
  EXPECT_EQ(config.access_log.path, "stdout");
  EXPECT_EQ(config.shutdown_timeout, 10s);
  ASSERT_TRUE(config.admin);
  EXPECT_TRUE(config.admin->hosts.empty());
  EXPECT_FALSE(config.admin->tls);
  EXPECT_FALSE(config.admin->authenticates());
  EXPECT_EQ(config.admin->auth.open_paths,
            (std::vector<std::string>{"/healthz", "/readyz", "/jwks"}));
  EXPECT_FALSE(config.admin->allow_unauthenticated);
  EXPECT_EQ(config.admin->revocations.capacity, 100'000u);
  EXPECT_EQ(config.admin->revocations.max_lifetime, 24h);
  EXPECT_TRUE(config.warnings.empty());
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

TEST(Loader, EveryKeyIsRead) {
  const ConfigDir dir;
  std::ofstream(dir.file("certs/admin.token")) << std::string(64, 'a') << "\n";
  const Config config = load_ok(R"(workers: 0
listeners:
  - name: mtls
    address: '[::1]:8443'
    tls:
      cert: certs/server.pem
      key: certs/server.key
      client_ca: certs/clients.pem
admin:
  address: 0.0.0.0:9000
  hosts: [Admin.Example.com, '[::1]']
  tls: {cert: certs/server.pem, key: certs/server.key, client_ca: certs/clients.pem,
        client_auth: optional}
  auth:
    tokens:
      - sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08
      - file: certs/admin.token
    users:
      - {name: ops, password_hash: "$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq"}
    open_paths: [/healthz]
  revocations: {capacity: 500, max_lifetime: 1h}
limits:
  max_header_bytes: 8KiB
  max_headers: 50
  max_uri_length: 2048
  max_body_size: 10MB
  header_timeout: 500ms
  body_timeout: 2m
  keepalive_timeout: 1h
access_log: {path: logs/access.log}
shutdown_timeout: 3000
apis:
  - name: Shop
    version: v2
    context: /shop/orders
    host: api.example.com
    default_version: true
    max_body_size: 1GiB
    policies:
      - type: cors
        allow_origins: ['*']
    endpoints:
      production:
        - {url: 'http://10.0.0.1:8080/base', weight: 3}
        - https://backend.example.com
      sandbox: [http://127.0.0.1:9001]
      load_balancing: weighted
      connect_timeout: 1s
      response_timeout: 30s
      suspension: {failures: 5, initial: 2s, factor: 1.5, max: 1m}
      health_check: {path: /health, interval: 10s, timeout: 1s}
      ca_file: /dev/null
      verify_tls: false
    resources:
      - methods: [GET, HEAD]
        path: /items/{id}
        policies: [{type: set_headers, request: {set: {X-A: b}}}]
      - {method: '*', path: /files/*}
)",
                                dir.file("gw.yaml"));
  EXPECT_EQ(config.workers, 0u);
  EXPECT_EQ(config.listeners[0].address.host, "::1");
  EXPECT_EQ(config.listeners[0].address.port, 8443);
  // A client CA alone asks for client certificates.
  EXPECT_EQ(config.listeners[0].tls->client_auth, net::ClientAuth::required);
  EXPECT_EQ(config.listeners[0].tls->client_ca_file, dir.file("certs/clients.pem"));
  EXPECT_EQ(config.admin->address.host, "0.0.0.0");
  EXPECT_EQ(config.admin->address.port, 9000);
  EXPECT_EQ(config.admin->hosts, (std::vector<std::string>{"admin.example.com", "[::1]"}));
  ASSERT_TRUE(config.admin->tls);
  EXPECT_EQ(config.admin->tls->client_auth, net::ClientAuth::optional);
  const AdminAuthConfig& auth = config.admin->auth;
  ASSERT_EQ(auth.token_digests.size(), 2u);
  EXPECT_EQ(auth.token_digests[0].substr(0, 4), "\x9f\x86\xd0\x81");  // SHA-256 of "test"
  // The token in the file is kept as its SHA-256 only: echo -n aaa...a | sha256sum.
  EXPECT_EQ(auth.token_digests[1].size(), 32u);
  EXPECT_EQ(auth.token_digests[1].find(std::string(64, 'a')), std::string::npos);
  ASSERT_EQ(auth.users.size(), 1u);
  EXPECT_EQ(auth.users[0].name, "ops");
  EXPECT_EQ(auth.open_paths, std::vector<std::string>{"/healthz"});
  EXPECT_TRUE(config.admin->authenticates());
  EXPECT_EQ(config.admin->revocations.capacity, 500u);
  EXPECT_EQ(config.admin->revocations.max_lifetime, 1h);
  EXPECT_EQ(config.limits.max_header_bytes, 8u * 1024);
  EXPECT_EQ(config.limits.max_headers, 50u);
  EXPECT_EQ(config.limits.max_uri_length, 2048u);
  EXPECT_EQ(config.limits.max_body_bytes, 10'000'000u);
  EXPECT_EQ(config.limits.header_timeout, 500ms);
  EXPECT_EQ(config.limits.body_timeout, 2min);
  EXPECT_EQ(config.limits.keepalive_timeout, 1h);
  EXPECT_EQ(config.access_log.path, dir.file("logs/access.log"));
  EXPECT_EQ(config.shutdown_timeout, 3s);

  const ApiConfig& api = config.apis.at(0);
  EXPECT_EQ(api.host, "api.example.com");
  EXPECT_TRUE(api.default_version);
  EXPECT_EQ(api.max_body_bytes, uint64_t{1} << 30);
  ASSERT_EQ(api.policies.size(), 1u);
  EXPECT_EQ(api.policies[0].type, "cors");
  EXPECT_EQ(api.policies[0].location.line, 40);
  EXPECT_EQ(api.policies[0].location.column, 9);
  // The policy's own keys are kept for its factory, with their places in the file.
  const Node& policy = *api.policies[0].node;
  ASSERT_EQ(policy.key(1).scalar(), "allow_origins");
  const Node allow_origins = policy.value(1);
  EXPECT_EQ(allow_origins.item(0).scalar(), "*");
  EXPECT_EQ(allow_origins.location().file, dir.file("gw.yaml"));
  EXPECT_EQ(allow_origins.location().line, 41);

  const EndpointsConfig& endpoints = api.endpoints;
  ASSERT_EQ(endpoints.production.size(), 2u);
  EXPECT_EQ(endpoints.production[0].url, "http://10.0.0.1:8080/base");
  EXPECT_EQ(endpoints.production[0].weight, 3u);
  EXPECT_EQ(endpoints.production[1].url, "https://backend.example.com");
  EXPECT_EQ(endpoints.production[1].weight, 1u);
  ASSERT_EQ(endpoints.sandbox.size(), 1u);
  EXPECT_EQ(endpoints.load_balancing, LoadBalancing::weighted);
  EXPECT_EQ(endpoints.connect_timeout, 1s);
  EXPECT_EQ(endpoints.response_timeout, 30s);
  EXPECT_EQ(endpoints.suspension.failures, 5u);
  EXPECT_EQ(endpoints.suspension.initial, 2s);
  EXPECT_EQ(endpoints.suspension.factor, 1.5);
  EXPECT_EQ(endpoints.suspension.max, 1min);
  ASSERT_TRUE(endpoints.health_check);
  EXPECT_EQ(endpoints.health_check->path, "/health");
  EXPECT_EQ(endpoints.health_check->interval, 10s);
  EXPECT_EQ(endpoints.health_check->timeout, 1s);
  EXPECT_EQ(endpoints.ca_file, "/dev/null");
  EXPECT_FALSE(endpoints.verify_tls);

  ASSERT_EQ(api.resources.size(), 2u);
  EXPECT_EQ(api.resources[0].methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(api.resources[0].path, "/items/{id}");
  ASSERT_EQ(api.resources[0].policies.size(), 1u);
  EXPECT_EQ(api.resources[0].policies[0].type, "set_headers");
  EXPECT_EQ(api.resources[1].methods, std::vector<std::string>{"*"});
  EXPECT_EQ(api.resources[1].path, "/files/*");
}

TEST(Loader, QuickstartExampleLoads) {
  // The example names the gateway key that `make run` makes; make it the same way.
  ASSERT_EQ(std::system(GATEHOUSE_SOURCE_DIR "/scripts/quickstart-key"), 0);
  const auto loaded = load_file(GATEHOUSE_SOURCE_DIR "/examples/quickstart.yaml");
  ASSERT_TRUE(loaded) << loaded.error().front().to_string();
  ASSERT_EQ(loaded->apis.size(), 1u);
  EXPECT_EQ(loaded->apis[0].context, "/pizzashack");
  EXPECT_EQ(loaded->apis[0].endpoints.production.at(0).url, "http://127.0.0.1:9000");
  EXPECT_EQ(loaded->listeners.at(0).address.port, 8280);
}

}  // namespace
}  // namespace gatehouse::config
