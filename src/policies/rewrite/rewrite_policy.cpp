#include "policies/rewrite/rewrite_policy.h"

#include "policies/rewrite/rewrite_config.h"

namespace gatehouse::policies {

namespace {

std::string_view param_value(const routing::PathParams& params, std::string_view name) {
  for (const routing::PathParam& param : params) {
    if (param.name == name) return param.value;
  }
  return {};
}

class RewritePolicy final : public Policy {
 public:
  explicit RewritePolicy(RewriteConfig config) : config_(std::move(config)) {}

  Phase phase() const override { return Phase::transformation; }

  Verdict on_request(Exchange& exchange) const override {
    std::string path;
    for (const PathPiece& piece : config_.path) {
      path += piece.kind == PathPiece::Kind::literal
                  ? std::string_view{piece.text}
                  : param_value(exchange.path_params, piece.text);
    }
    exchange.rewritten_path = std::move(path);
    return Verdict::proceed;
  }

 private:
  const RewriteConfig config_;
};

class RewritePolicyFactory final : public PolicyFactory {
 public:
  std::string_view name() const override { return "rewrite"; }

  CompileResult compile(const config::Node& node, const CompileContext&) const override {
    auto config = parse_rewrite_config(node);
    if (!config) return std::unexpected(config.error());
    return std::make_unique<const RewritePolicy>(std::move(*config));
  }
};

}  // namespace

const PolicyFactory& rewrite_policy_factory() {
  static const RewritePolicyFactory factory;
  return factory;
}

}  // namespace gatehouse::policies
