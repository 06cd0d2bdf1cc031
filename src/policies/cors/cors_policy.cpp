#include "policies/cors/cors_policy.h"

#include <algorithm>

#include "policies/cors/cors_config.h"

namespace gatehouse::policies {

namespace {

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials = "Access-Control-Allow-Credentials";
constexpr std::string_view kExposeHeaders = "Access-Control-Expose-Headers";

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

std::string_view header_value(const http::RequestHead& request, std::string_view name) {
  const http::Header* header = http::find_header(request.headers, name);
  return header ? header->value : std::string_view{};
}

bool is_preflight(const http::RequestHead& request) {
  return request.method == "OPTIONS" && http::find_header(request.headers, "Origin") &&
         http::find_header(request.headers, "Access-Control-Request-Method");
}

class CorsPolicy final : public Policy {
 public:
  explicit CorsPolicy(const CorsConfig& config)
      : config_(config),
        allow_methods_(join(config.allow_methods)),
        allow_headers_(join(config.allow_headers)),
        expose_headers_(join(config.expose_headers)),
        max_age_(config.max_age_seconds ? std::to_string(*config.max_age_seconds) : "") {}

  Phase phase() const override { return Phase::cors; }

  Verdict on_request(Exchange& exchange) const override {
    if (!is_preflight(*exchange.request)) return Verdict::proceed;
    exchange.local_response = preflight_response(header_value(*exchange.request, "Origin"));
    return Verdict::respond;
  }

  Verdict on_response(Exchange& exchange) const override {
    // A preflight's answer was complete when on_request made it.
    if (is_preflight(*exchange.request)) return Verdict::proceed;
    http::HeaderEdits& edits = exchange.response_edits;
    for (std::string_view name : {kAllowOrigin, kAllowCredentials, kExposeHeaders}) {
      if (!edits.removes(name)) edits.remove.emplace_back(name);
    }
    if (!config_.any_origin) edits.add.emplace_back("Vary", "Origin");
    const std::string_view origin = header_value(*exchange.request, "Origin");
    if (origin.empty() || !allows(origin)) return Verdict::proceed;
    edits.add.emplace_back(kAllowOrigin, allow_origin_value(origin));
    if (config_.allow_credentials) edits.add.emplace_back(kAllowCredentials, "true");
    if (!expose_headers_.empty()) edits.add.emplace_back(kExposeHeaders, expose_headers_);
    return Verdict::proceed;
  }

 private:
  bool allows(std::string_view origin) const {
    return config_.any_origin ||
           std::any_of(config_.allow_origins.begin(), config_.allow_origins.end(),
                       [&](const std::string& allowed) { return http::iequals(allowed, origin); });
  }

  // "*" only when any origin may read without credentials; otherwise the origin itself, and the
  // response then varies by Origin.
  std::string allow_origin_value(std::string_view origin) const {
    return config_.any_origin ? std::string("*") : std::string(origin);
  }

  pipeline::LocalResponse preflight_response(std::string_view origin) const {
    pipeline::LocalResponse response{.status = 204, .headers = {}, .body = {}, .content_type = {}};
    if (!config_.any_origin) response.headers.emplace_back("Vary", "Origin");
    if (!allows(origin)) return response;
    response.headers.emplace_back(kAllowOrigin, allow_origin_value(origin));
    if (config_.allow_credentials) response.headers.emplace_back(kAllowCredentials, "true");
    if (!allow_methods_.empty()) {
      response.headers.emplace_back("Access-Control-Allow-Methods", allow_methods_);
    }
    if (!allow_headers_.empty()) {
      response.headers.emplace_back("Access-Control-Allow-Headers", allow_headers_);
    }
    if (!max_age_.empty()) response.headers.emplace_back("Access-Control-Max-Age", max_age_);
    return response;
  }

  const CorsConfig config_;
  const std::string allow_methods_;
  const std::string allow_headers_;
  const std::string expose_headers_;
  const std::string max_age_;
};

class CorsPolicyFactory final : public PolicyFactory {
 public:
  std::string_view name() const override { return "cors"; }

  CompileResult compile(const config::Node& node, const CompileContext&) const override {
    auto config = parse_cors_config(node);
    if (!config) return std::unexpected(config.error());
    return std::make_unique<const CorsPolicy>(*config);
  }
};

}  // namespace

const PolicyFactory& cors_policy_factory() {
  static const CorsPolicyFactory factory;
  return factory;
}

}  // namespace gatehouse::policies
