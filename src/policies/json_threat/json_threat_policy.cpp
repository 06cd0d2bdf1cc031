#include "policies/json_threat/json_threat_policy.h"

#include "http/message.h"
#include "policies/json_threat/json_shape.h"

namespace gatehouse::policies {

namespace {

// application/json, or a structured +json type (application/problem+json), any parameters.
bool is_json(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  const std::string_view trimmed = media.substr(0, media.find_last_not_of(" \t") + 1);
  return http::iequals(trimmed, "application/json") ||
         (trimmed.size() > 5 && http::iequals(trimmed.substr(trimmed.size() - 5), "+json"));
}

class JsonThreatPolicy final : public Policy {
 public:
  explicit JsonThreatPolicy(const JsonThreatConfig& config) : config_(config) {}

  Phase phase() const override { return Phase::admission; }
  bool needs_request_body() const override { return true; }

  Verdict on_request(Exchange& exchange) const override {
    const http::Header* type = http::find_header(exchange.request->headers, "Content-Type");
    if (type == nullptr || !is_json(type->value) || exchange.request_body->empty()) {
      return Verdict::proceed;
    }
    const std::optional<std::string> violation =
        json_shape_violation(*exchange.request_body, config_);
    if (!violation) return Verdict::proceed;
    exchange.local_response = pipeline::LocalResponse::from_error(
        {400, 400, "Bad Request", "JSON threat protection: " + *violation + "."});
    return Verdict::respond;
  }

 private:
  const JsonThreatConfig config_;
};

class JsonThreatPolicyFactory final : public PolicyFactory {
 public:
  std::string_view name() const override { return "json_threat_protection"; }

  CompileResult compile(const config::Node& node, const CompileContext&) const override {
    auto config = parse_json_threat_config(node);
    if (!config) return std::unexpected(config.error());
    return std::make_unique<const JsonThreatPolicy>(*config);
  }
};

}  // namespace

const PolicyFactory& json_threat_policy_factory() {
  static const JsonThreatPolicyFactory factory;
  return factory;
}

}  // namespace gatehouse::policies
