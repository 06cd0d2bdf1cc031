#include "admin/admin_routes.h"

#include <algorithm>
#include <chrono>

#include "admin/api_key_routes.h"
#include "admin/application_key_routes.h"
#include "admin/application_routes.h"
#include "admin/blocking_routes.h"
#include "admin/key_rotation_route.h"
#include "admin/responses.h"
#include "admin/revocation_routes.h"
#include "admin/subscription_routes.h"
#include "keymanager/server/endpoints.h"
#include "observability/metrics.h"
#include "security/auth/bearer_validator.h"
#include "security/tokens/gateway_key.h"

namespace gatehouse::admin {
namespace {

constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

// How long past its exp a token may still be admitted: the largest leeway of the key managers.
int64_t expiry_grace(const InstalledState& installed) {
  int64_t grace = 0;
  if (!installed.config) return grace;
  for (const config::KeyManagerConfig& key_manager : installed.config->security.key_managers) {
    const auto leeway = std::chrono::ceil<std::chrono::seconds>(key_manager.leeway).count();
    grace = std::max<int64_t>(grace, leeway);
  }
  return grace;
}

}  // namespace

AdminResponse route_admin_request(const AdminRequest& request, const AdminServices& services) {
  const std::string_view method = request.method;
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  const bool serves_revocations = path == "/revocations" && services.revocations;
  const InstalledState installed = services.installed ? services.installed() : InstalledState{};
  const bool has_key = installed.gateway_key != nullptr;
  const std::optional<ApiKeyPath> api_key_path = has_key ? parse_api_key_path(path) : std::nullopt;
  const bool serves_jwks = path == "/jwks" && has_key;
  const bool serves_subscriptions =
      services.subscriptions.directory != nullptr && is_subscriptions_path(path);
  const bool serves_blocking =
      services.blocking.conditions != nullptr && is_blocking_conditions_path(path);
  const bool serves_key_rotation =
      path == rotate_signing_key_path && services.rotate_signing_key != nullptr;
  const ApplicationKeyUpdates& keys = services.application_keys;
  const bool serves_application_keys = keys.keys != nullptr &&
                                       keys.subscriptions.directory != nullptr &&
                                       is_application_keys_path(path);
  const bool serves_applications =
      services.applications.subscriptions.directory != nullptr && is_applications_path(path);
  const bool is_known = path == "/metrics" || path == "/healthz" || path == "/readyz" ||
                        serves_revocations || serves_jwks || api_key_path || serves_subscriptions ||
                        serves_blocking || serves_key_rotation || serves_application_keys ||
                        serves_applications;
  if (!is_known) {
    return not_found("No admin endpoint is served at " + std::string(path) +
                     "; try /metrics, /healthz or /readyz.");
  }
  if (api_key_path) {
    if (method == "POST") {
      return generate_api_key(*api_key_path, request.body, installed, security::epoch_seconds());
    }
    return not_allowed(method, "POST");
  }
  if (serves_key_rotation) return rotate_signing_key(method, services);
  if (serves_application_keys) return route_application_keys(method, path, request.body, keys);
  if (serves_applications) {
    return route_applications(method, path, request.body, services.applications);
  }
  if (serves_subscriptions) {
    return route_subscriptions(method, path, request.body, services.subscriptions);
  }
  if (serves_blocking) {
    return route_blocking_conditions(method, path, request.body, services.blocking);
  }
  if (serves_revocations && method == "POST") {
    return revoke_from_json(request.body, *services.revocations, security::epoch_seconds(),
                            expiry_grace(installed));
  }
  if (method != "GET" && method != "HEAD") {
    return not_allowed(method, serves_revocations ? "GET, HEAD, POST" : "GET, HEAD");
  }
  if (serves_revocations) {
    return list_revocations(*services.revocations, security::epoch_seconds());
  }
  if (path == "/metrics") {
    std::string text = services.metrics.render_prometheus();
    if (services.revocations) {
      text += revocation_metrics(*services.revocations, security::epoch_seconds());
    }
    if (services.subscriptions.directory) {
      text += subscription_metrics(*services.subscriptions.directory);
    }
    if (services.key_manager) {
      text += signing_key_metrics(services.key_manager->context(), security::epoch_seconds());
    }
    return {200, std::string(kPrometheusText), std::move(text), {}};
  }
  if (serves_jwks) return json_text_response(200, installed.gateway_key->jwks_json());
  if (path == "/healthz") return json_text_response(200, R"({"status":"ok"})");
  if (services.ready()) return json_text_response(200, R"({"status":"ready"})");
  return json_text_response(503, R"({"status":"not ready"})");
}

}  // namespace gatehouse::admin
