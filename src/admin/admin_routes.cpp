#include "admin/admin_routes.h"

#include "core/api_error.h"
#include "observability/metrics.h"

namespace gatehouse::admin {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

AdminResponse error_response(const ApiError& error) {
  return {error.status, std::string(kJson), error.json_body(), {}};
}

}  // namespace

AdminResponse route_admin_request(std::string_view method, std::string_view target,
                                  const observability::Metrics& metrics,
                                  const std::function<bool()>& ready) {
  const std::string_view path = target.substr(0, target.find('?'));
  const bool is_known = path == "/metrics" || path == "/healthz" || path == "/readyz";
  if (!is_known) {
    return error_response(ApiError{404, 404, "Not Found",
                                   "No admin endpoint is served at " + std::string(path) +
                                       "; try /metrics, /healthz or /readyz."});
  }
  if (method != "GET" && method != "HEAD") {
    AdminResponse response = error_response(errors::method_not_allowed(method));
    response.allow = "GET, HEAD";
    return response;
  }
  if (path == "/metrics")
    return {200, std::string(kPrometheusText), metrics.render_prometheus(), {}};
  if (path == "/healthz") return {200, std::string(kJson), R"({"status":"ok"})", {}};
  if (ready()) return {200, std::string(kJson), R"({"status":"ready"})", {}};
  return {503, std::string(kJson), R"({"status":"not ready"})", {}};
}

}  // namespace gatehouse::admin
