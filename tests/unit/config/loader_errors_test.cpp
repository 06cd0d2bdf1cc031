// What a user sees for a wrong config: every error as `file:line:col: message`, located at the
// offending key or value, all of them at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"

namespace gatehouse::config::loader_errors_test {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> errors_of(std::string_view yaml) {
  auto loaded = load_string(yaml, "gw.yaml");
  if (loaded) return {};
  std::vector<std::string> printed;
  for (const ConfigError& error : loaded.error()) printed.push_back(error.to_string());
  return printed;
}

// One listener on line 1, and an API whose lines are 3 to 8, for tests to break one thing in.
constexpr std::string_view listener_line = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";

std::string with_api(std::string_view api_lines) {
  return std::string(listener_line) + "apis:\n" + std::string(api_lines);
}

TEST(LoaderErrors, SyntaxErrorHasItsPosition) {
  EXPECT_THAT(errors_of("listeners:\n  - name: [http\n"),
              ElementsAre("gw.yaml:3:1: end of sequence flow not found (inside {...} or [...], "
                          "quote a value that contains '{', '}', '[', ']' or ',', like path: "
                          "\"/order/{orderId}\")"));
  EXPECT_THAT(errors_of("workers: 2\n listeners: []\n"),
              ElementsAre("gw.yaml:2:11: illegal map value"));
}

TEST(LoaderErrors, UnparsedParameterInFlowMapIsExplained) {
  EXPECT_THAT(errors_of(with_api("  - {method: GET, path: /order/{id}}\n")),
              ElementsAre(testing::StartsWith("gw.yaml:3:32: end of map flow not found")));
}

TEST(LoaderErrors, EmptyFile) {
  EXPECT_THAT(errors_of(""), ElementsAre("gw.yaml:1:1: the file is empty"));
}

TEST(LoaderErrors, UnknownKeyAtTheKeyWithSuggestion) {
  EXPECT_THAT(
      errors_of("listeners:\n  - name: http\n    adress: 127.0.0.1:8280\n"),
      ElementsAre("gw.yaml:2:5: missing key 'address' in listener",
                  "gw.yaml:3:5: unknown key 'adress' in listener (did you mean 'address'?)"));
}

TEST(LoaderErrors, UnknownKeyWithoutNearNameHasNoSuggestion) {
  EXPECT_THAT(errors_of(std::string(listener_line) + "colour: blue\n"),
              ElementsAre("gw.yaml:2:1: unknown key 'colour' in configuration"));
}

TEST(LoaderErrors, DuplicateKey) {
  EXPECT_THAT(errors_of(std::string(listener_line) + "workers: 1\nworkers: 2\n"),
              ElementsAre("gw.yaml:3:1: duplicate key 'workers' in configuration"));
}

TEST(LoaderErrors, MissingListeners) {
  EXPECT_THAT(errors_of("workers: 2\n"),
              ElementsAre("gw.yaml:1:1: missing key 'listeners' in configuration"));
  EXPECT_THAT(
      errors_of("listeners: []\n"),
      ElementsAre("gw.yaml:1:12: 'listeners' must have at least one listener, got an empty list"));
}

TEST(LoaderErrors, WrongScalarsPointAtTheValue) {
  EXPECT_THAT(
      errors_of(std::string(listener_line) +
                "workers: 2000\nshutdown_timeout: 5 sec\nlimits: {max_body_size: lots}\n"),
      ElementsAre("gw.yaml:2:10: 'workers' must be an integer from 0 to 1024, got '2000'",
                  "gw.yaml:3:19: 'shutdown_timeout' must be a duration like 500ms, 5s or 2m, got "
                  "'5 sec'",
                  "gw.yaml:4:25: 'max_body_size' must be a size like 512KiB, 10MB or 1GiB, got "
                  "'lots'"));
}

TEST(LoaderErrors, KeyWithoutValuePointsAtTheKey) {
  EXPECT_THAT(errors_of(std::string(listener_line) + "admin:\nworkers: 1\n"),
              ElementsAre("gw.yaml:2:1: 'admin' has no value"));
}

TEST(LoaderErrors, ListenerRules) {
  EXPECT_THAT(errors_of("listeners:\n"
                        "  - {name: a, address: 127.0.0.1:65536}\n"
                        "  - {name: b, address: ::1:80}\n"
                        "  - {name: a, address: '[::1]:8443', tls: {cert: c.pem}}\n"
                        "  - {name: d, address: '[::1]:8443'}\n"),
              ElementsAre("gw.yaml:2:24: 'address' must have a port from 0 to 65535, got "
                          "'127.0.0.1:65536'",
                          "gw.yaml:3:24: 'address' must write an IPv6 address in brackets, like "
                          "[::1]:8280, got '::1:80'",
                          "gw.yaml:4:5: listener name 'a' is already used at line 2",
                          "gw.yaml:4:43: missing key 'key' in tls",
                          "gw.yaml:4:50: 'cert' file c.pem cannot be read: No such file or "
                          "directory",
                          "gw.yaml:5:5: address [::1]:8443 is already used by listener 'a'"));
}

// /dev/null stands for a readable certificate file where only the config's shape is tested.
TEST(LoaderErrors, ClientAuthNeedsClientCa) {
  EXPECT_THAT(
      errors_of("listeners:\n"
                "  - name: https\n"
                "    address: 0.0.0.0:8243\n"
                "    tls: {cert: /dev/null, key: /dev/null, client_auth: optional}\n"),
      ElementsAre("gw.yaml:4:44: 'client_auth' needs 'client_ca', the CA of client certificates"));
  EXPECT_THAT(errors_of("listeners:\n"
                        "  - name: https\n"
                        "    address: 0.0.0.0:8243\n"
                        "    tls: {cert: /dev/null, key: /dev/null, client_auth: maybe}\n"),
              ElementsAre("gw.yaml:4:57: 'client_auth' must be one of none, optional, required, "
                          "optional_no_ca, got 'maybe'"));
  // optional_no_ca verifies no certificate against a CA unless it has one.
  EXPECT_THAT(
      errors_of("listeners:\n"
                "  - name: https\n"
                "    address: 0.0.0.0:8243\n"
                "    tls: {cert: /dev/null, key: /dev/null, client_auth: optional_no_ca}\n"),
      ElementsAre());
}

TEST(LoaderErrors, AdminAddressCollidesWithListener) {
  EXPECT_THAT(errors_of(std::string(listener_line) + "admin: {address: 127.0.0.1:8280}\n"),
              ElementsAre("gw.yaml:2:1: the admin address is already used by listener 'http'"));
}

// Port 0 is a free port the system picks for each address when it is bound: never a collision.
TEST(LoaderErrors, PortZeroIsNeverAlreadyUsed) {
  EXPECT_THAT(errors_of("listeners:\n"
                        "  - {name: a, address: 127.0.0.1:0}\n"
                        "  - {name: b, address: 127.0.0.1:0}\n"
                        "admin: {address: 127.0.0.1:0}\n"),
              ElementsAre());
}

TEST(LoaderErrors, ApiIdentityRules) {
  EXPECT_THAT(errors_of(with_api("  - name: A\n"
                                 "    version: v1/beta\n"
                                 "    context: /shop/\n"
                                 "    endpoints: {production: [http://127.0.0.1:9000]}\n"
                                 "    resources: [{method: GET, path: /x}]\n"
                                 "  - name: B\n"
                                 "    version: ''\n"
                                 "    context: '/shop/{id}'\n"
                                 "    endpoints: {production: [http://127.0.0.1:9000]}\n"
                                 "    resources: [{method: GET, path: /x}]\n")),
              ElementsAre("gw.yaml:4:14: 'version' must not contain '/', got 'v1/beta'",
                          "gw.yaml:5:14: 'context' must not end with '/', got '/shop/'",
                          "gw.yaml:9:14: 'version' must not be empty, got ''",
                          "gw.yaml:10:14: 'context' must not have parameters, got '/shop/{id}'"));
}

TEST(LoaderErrors, ApisMustNotClaimTheSameRequests) {
  const std::string api =
      "    endpoints: {production: [http://127.0.0.1:9000]}\n"
      "    resources: [{method: GET, path: /x}]\n";
  EXPECT_THAT(
      errors_of(with_api("  - {name: A, version: v1, context: /a, default_version: true}\n"
                         "  - {name: A, version: v1, context: /b}\n"
                         "  - {name: C, version: v1, context: /a}\n"
                         "  - {name: D, version: v2, context: /a, default_version: true}\n")),
      ::testing::IsSupersetOf({
          "gw.yaml:4:5: API 'A' version v1 is already defined at line 3",
          "gw.yaml:5:5: context /a version v1 is already served by API 'A' version v1",
          "gw.yaml:6:5: context /a already has a default version, in API 'A' version v1",
      }));
}

TEST(LoaderErrors, ResourceRules) {
  EXPECT_THAT(errors_of(with_api("  - name: A\n"
                                 "    version: v1\n"
                                 "    context: /a\n"
                                 "    endpoints: {production: [http://127.0.0.1:9000]}\n"
                                 "    resources:\n"
                                 "      - {method: get, path: /x}\n"
                                 "      - {methods: [GET, '*'], path: /files/*/meta}\n"
                                 "      - {method: GET, methods: [POST], path: '/a/{id}/b/{id}'}\n"
                                 "      - {path: 'menu'}\n"
                                 "      - {method: GET, path: '/order/{orderId}'}\n"
                                 "      - {method: GET, path: '/order/{id}'}\n"
                                 "      - {method: GET, path: '/order/{id'}\n")),
              ElementsAre("gw.yaml:8:18: 'method' must be one of GET, POST, PUT, DELETE, PATCH, "
                          "HEAD, OPTIONS, *, got 'get'",
                          "gw.yaml:9:19: 'methods' must not list '*' with others, got a list",
                          "gw.yaml:9:37: 'path' may have '*' only as its whole last segment, got "
                          "'/files/*/meta'",
                          "gw.yaml:10:23: write either 'method' or 'methods', not both",
                          "gw.yaml:10:46: 'path' must not repeat the parameter {id}, got "
                          "'/a/{id}/b/{id}'",
                          "gw.yaml:11:9: missing key 'method' in resource",
                          "gw.yaml:11:16: 'path' must start with '/', got 'menu'",
                          "gw.yaml:13:9: resource GET /order/{id} is already defined at line 12",
                          "gw.yaml:14:29: 'path' must write each parameter as a whole segment "
                          "like {orderId} (letters, digits, _), got '/order/{id'"));
}

TEST(LoaderErrors, NoResources) {
  EXPECT_THAT(
      errors_of(with_api("  - name: A\n"
                         "    version: v1\n"
                         "    context: /a\n"
                         "    endpoints: {production: [http://127.0.0.1:9000]}\n"
                         "    resources: []\n")),
      ElementsAre("gw.yaml:7:16: 'resources' must have at least one resource, got an empty list"));
}

TEST(LoaderErrors, EndpointRules) {
  EXPECT_THAT(
      errors_of(with_api("  - name: A\n"
                         "    version: v1\n"
                         "    context: /a\n"
                         "    resources: [{method: GET, path: /x}]\n"
                         "    endpoints:\n"
                         "      production:\n"
                         "        - ftp://127.0.0.1:21\n"
                         "        - http://127.0.0.1:9000?debug=1\n"
                         "        - {url: 'http:///nohost', weight: 0}\n"
                         "        - http://127.0.0.1:99999\n"
                         "      sandbox: []\n"
                         "      load_balancing: random\n"
                         "      suspension: {initial: 10s, max: 5s, factor: 0.5}\n"
                         "      health_check: {path: health, interval: 1s, timeout: 2s}\n"
                         "      verify_tls: no\n")),
      ElementsAre(
          "gw.yaml:9:11: 'endpoint' must start with http:// or https://, got 'ftp://127.0.0.1:21'",
          "gw.yaml:10:11: 'endpoint' must not have a query or fragment, got "
          "'http://127.0.0.1:9000?debug=1'",
          "gw.yaml:11:17: 'url' must have a host, got 'http:///nohost'",
          "gw.yaml:11:43: 'weight' must be an integer from 1 to 1000, got '0'",
          "gw.yaml:12:11: 'endpoint' must have a port from 1 to 65535, got "
          "'http://127.0.0.1:99999'",
          "gw.yaml:14:23: 'load_balancing' must be one of round_robin, weighted, failover, got "
          "'random'",
          "gw.yaml:15:34: 'max' must not be less than 'initial'",
          "gw.yaml:15:51: 'factor' must be a number from 1 to 100, got '0.5'",
          "gw.yaml:16:28: 'path' must start with '/', got 'health'",
          "gw.yaml:16:50: 'timeout' must not be longer than 'interval'",
          "gw.yaml:17:19: 'verify_tls' must be true or false, got 'no'"));
}

TEST(LoaderErrors, ProductionEndpointsRequired) {
  EXPECT_THAT(
      errors_of(with_api("  - name: A\n"
                         "    version: v1\n"
                         "    context: /a\n"
                         "    resources: [{method: GET, path: /x}]\n"
                         "    endpoints: {production: [], sandbox: [http://127.0.0.1:1]}\n")),
      ElementsAre("gw.yaml:7:29: 'production' must have at least one endpoint, got an empty list"));
}

TEST(LoaderErrors, PolicyNeedsAType) {
  EXPECT_THAT(errors_of(with_api("  - name: A\n"
                                 "    version: v1\n"
                                 "    context: /a\n"
                                 "    endpoints: {production: [http://127.0.0.1:9000]}\n"
                                 "    resources: [{method: GET, path: /x}]\n"
                                 "    policies:\n"
                                 "      - cors\n"
                                 "      - {allow_origins: ['*']}\n")),
              ElementsAre("gw.yaml:9:9: policy must be a map, got 'cors'",
                          "gw.yaml:10:9: missing key 'type' in policy"));
}

TEST(LoaderErrors, EveryErrorOfTheFileIsReportedInFileOrder) {
  const std::vector<std::string> errors = errors_of(
      "workers: many\n"
      "listeners:\n"
      "  - name: http\n"
      "    address: localhost\n"
      "    tsl: {}\n"
      "apis:\n"
      "  - name: A\n"
      "    version: v1\n"
      "    context: a\n"
      "    endpoints: {production: [http://b:1]}\n"
      "    resources: [{method: GET, path: /x}]\n"
      "    timeout: 5s\n");
  EXPECT_THAT(
      errors,
      ElementsAre("gw.yaml:1:10: 'workers' must be an integer from 0 to 1024, got 'many'",
                  "gw.yaml:4:14: 'address' must be host:port or [ipv6]:port, got 'localhost'",
                  "gw.yaml:5:5: unknown key 'tsl' in listener (did you mean 'tls'?)",
                  "gw.yaml:9:14: 'context' must start with '/', got 'a'",
                  "gw.yaml:12:5: unknown key 'timeout' in api"));
}

TEST(LoaderErrors, UnreadableFile) {
  const auto loaded = load_file("/nonexistent/gw.yaml");
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error(),
              ElementsAre(testing::Field(&ConfigError::message,
                                         "cannot read the file: No such file or directory")));
  EXPECT_EQ(loaded.error()[0].location.file, "/nonexistent/gw.yaml");
}

}  // namespace
}  // namespace gatehouse::config::loader_errors_test
