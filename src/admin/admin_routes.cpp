#include "admin/admin_routes.h"

#include "admin/revocation_routes.h"
#include "core/api_error.h"
#include "observability/metrics.h"
#include "security/auth/bearer_validator.h"

namespace gatehouse::admin {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

AdminResponse error_response(const ApiError& error) {
  return {error.status, std::string(kJson), error.json_body(), {}};
}

}  // namespace

AdminResponse route_admin_request(const AdminRequest& request, const AdminServices& services) {
  const std::string_view method = request.method;
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  const bool serves_revocations = path == "/revocations" && services.revocations;
  std::string jwks = path == "/jwks" && services.jwks ? services.jwks() : std::string();
  const bool is_known = path == "/metrics" || path == "/healthz" || path == "/readyz" ||
                        serves_revocations || !jwks.empty();
  if (!is_known) {
    return error_response(ApiError{404, 404, "Not Found",
                                   "No admin endpoint is served at " + std::string(path) +
                                       "; try /metrics, /healthz or /readyz."});
  }
  if (serves_revocations && method == "POST") {
    return revoke_from_json(request.body, *services.revocations, security::epoch_seconds());
  }
  if (method != "GET" && method != "HEAD") {
    AdminResponse response = error_response(errors::method_not_allowed(method));
    response.allow = serves_revocations ? "GET, HEAD, POST" : "GET, HEAD";
    return response;
  }
  if (serves_revocations) {
    return list_revocations(*services.revocations, security::epoch_seconds());
  }
  if (path == "/metrics")
    return {200, std::string(kPrometheusText), services.metrics.render_prometheus(), {}};
  if (!jwks.empty()) return {200, std::string(kJson), std::move(jwks), {}};
  if (path == "/healthz") return {200, std::string(kJson), R"({"status":"ok"})", {}};
  if (services.ready()) return {200, std::string(kJson), R"({"status":"ready"})", {}};
  return {503, std::string(kJson), R"({"status":"not ready"})", {}};
}

}  // namespace gatehouse::admin
