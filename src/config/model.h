// The configuration as written by the user, after parsing and validation but before compilation
// into a Snapshot. Plain data: every default lives here, next to the field it belongs to, so that
// docs/config.md and the code can be read side by side.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"
#include "config/location.h"
#include "config/oauth2_server_model.h"
#include "config/security_model.h"
#include "config/throttling_model.h"
#include "core/path_normalization.h"
#include "net/listener_config.h"

namespace gatehouse::config {

using Millis = std::chrono::milliseconds;

struct ListenerConfig {
  std::string name;
  net::HostPort address;
  std::optional<net::TlsServerConfig> tls;
  PathNormalization paths;  // how request paths are normalised before routing
  Location location;
};

// Who may use the admin API. A request passes with any one of: a bearer token whose SHA-256 is
// listed, a Basic user's password, or a client certificate verified against `admin.tls`'s
// client_ca. Paths in `open_paths` need none of them.
struct AdminAuthConfig {
  std::vector<std::string> token_digests;  // SHA-256 of each accepted bearer token (32 bytes)
  std::vector<identity::User> users;       // Basic; no roles
  std::vector<std::string> open_paths = {"/healthz", "/readyz", "/jwks"};
};

// How many revocations are held, and for how long when the token's expiry is unknown.
struct RevocationLimitsConfig {
  uint32_t capacity = 100'000;  // jtis and tokens together; beyond it a revocation is refused
  Millis max_lifetime{24 * 3600 * 1000};
};

struct AdminConfig {
  net::HostPort address{"127.0.0.1", 9443};
  std::vector<std::string> hosts;  // names the Host header may carry besides the built-in ones
  std::optional<net::TlsServerConfig> tls;
  AdminAuthConfig auth;
  // Authentication is configured: tokens, users, or client certificates (tls.client_ca).
  bool authenticates() const {
    return !auth.token_digests.empty() || !auth.users.empty() ||
           (tls && tls->verifies_client_certificates());
  }
  bool allow_unauthenticated = false;  // serve a non-loopback address without authentication
  RevocationLimitsConfig revocations;
  Location location;
};

// Limits applied to every client connection, overridable per API where noted.
struct LimitsConfig {
  size_t max_header_bytes = 16 * 1024;  // request line + headers; over it: 431
  size_t max_headers = 100;             // count; over it: 431
  size_t max_uri_length = 8 * 1024;     // over it: 414
  uint64_t max_body_bytes = 0;          // 0: unlimited; per API override; over it: 413
  // A body that a policy reads whole (Policy::needs_request_body) is held in memory up to
  // this (or max_body_bytes, if smaller); over it: 413.
  uint64_t max_buffered_body_bytes = 1024 * 1024;
  Millis header_timeout{10'000};     // whole request head must arrive within: else 408
  Millis body_timeout{30'000};       // max gap between two body reads: else 408
  Millis keepalive_timeout{60'000};  // idle keep-alive connection closed after
};

enum class LoadBalancing { round_robin, weighted, failover };

struct EndpointConfig {
  std::string url;  // http://host:port[/base] or https://...
  uint32_t weight = 1;
  Location location;
};

struct SuspensionConfig {
  uint32_t failures = 3;  // consecutive failures that suspend an endpoint
  Millis initial{1'000};  // first suspension
  double factor = 2.0;    // each further suspension multiplies by this
  Millis max{60'000};     // upper bound of a suspension
};

struct HealthCheckConfig {
  std::string path = "/";  // GET this path; 2xx/3xx is healthy
  Millis interval{5'000};
  Millis timeout{2'000};
};

struct EndpointsConfig {
  std::vector<EndpointConfig> production;
  std::vector<EndpointConfig> sandbox;
  LoadBalancing load_balancing = LoadBalancing::round_robin;
  Millis connect_timeout{5'000};
  Millis response_timeout{60'000};  // until the response head arrives: else 504
  SuspensionConfig suspension;
  std::optional<HealthCheckConfig> health_check;
  std::string ca_file;  // empty: system trust store, for https endpoints
  bool verify_tls = true;
};

struct Node;  // config/node.h: a YAML node with its file

// One policy as written: its type name and the YAML node that the policy's factory compiles.
struct PolicyConfig {
  std::string type;
  std::shared_ptr<const Node> node;  // until the snapshot compiles it; then released
  Location location;
};

struct ResourceConfig {
  std::vector<std::string> methods;  // upper case; "GET", "POST"...; {"*"} for any
  std::string path;                  // "/order/{orderId}", "/files/*"
  std::vector<PolicyConfig> policies;
  bool auth = true;                 // `auth: none`: the API's security does not apply here
  std::vector<std::string> scopes;  // a token must carry one of these; empty: any
  std::string throttling;           // an API policy (throttling.api_policies); empty: none
  Location throttling_location;
  Location location;
};

struct ApiConfig {
  std::string name;
  std::string version;
  std::string context;           // "/pizzashack"; served at context + "/" + version
  std::string host;              // empty: any host
  bool default_version = false;  // also served at context without the version segment
  EndpointsConfig endpoints;
  std::vector<ResourceConfig> resources;
  std::vector<PolicyConfig> policies;  // applied to every resource, before resource policies
  std::optional<uint64_t> max_body_bytes;
  std::optional<ApiSecurityConfig> security;  // absent: the API is open
  std::optional<BackendJwtConfig> backend_jwt;
  std::string throttling;  // an API policy (throttling.api_policies); empty: none
  Location throttling_location;
  Location location;
};

struct AccessLogConfig {
  std::string path = "stdout";  // "stdout", "off", or a file path
};

struct Config {
  std::string file;  // the file this was loaded from
  // What is allowed but probably not meant (an admin listener without TLS on a network
  // address); printed by `validate` and logged at start and reload.
  std::vector<ConfigError> warnings;
  uint32_t workers = 0;  // 0: one per core
  std::vector<ListenerConfig> listeners;
  std::optional<AdminConfig> admin;
  LimitsConfig limits;
  AccessLogConfig access_log;
  Millis shutdown_timeout{10'000};  // in-flight requests get this long on SIGTERM
  SecurityConfig security;          // key managers, applications, users, the gateway's key
  ThrottlingConfig throttling;      // tiers, policies, blocking conditions
  std::vector<ApiConfig> apis;
  std::optional<OAuth2ServerConfig> oauth2_server;  // absent: no key manager is served
};

}  // namespace gatehouse::config
