#include "policies/headers/headers_policy.h"

#include "policies/headers/headers_config.h"

namespace gatehouse::policies {

namespace {

void apply(const HeaderRules& rules, http::HeaderEdits& edits) {
  for (const std::string& name : rules.remove) {
    // Also drops what an earlier policy added, so that the header does not reach the peer at all.
    std::erase_if(edits.add, [&](const auto& added) { return http::iequals(added.first, name); });
    if (!edits.removes(name)) edits.remove.push_back(name);
  }
  for (const auto& [name, value] : rules.set) edits.set(name, value);
  for (const auto& [name, value] : rules.add) edits.add.emplace_back(name, value);
}

class HeadersPolicy final : public Policy {
 public:
  explicit HeadersPolicy(HeadersConfig config) : config_(std::move(config)) {}

  Phase phase() const override { return Phase::transformation; }

  Verdict on_request(Exchange& exchange) const override {
    apply(config_.request, exchange.request_edits);
    return Verdict::proceed;
  }

  Verdict on_response(Exchange& exchange) const override {
    apply(config_.response, exchange.response_edits);
    return Verdict::proceed;
  }

 private:
  const HeadersConfig config_;
};

class HeadersPolicyFactory final : public PolicyFactory {
 public:
  std::string_view name() const override { return "headers"; }

  CompileResult compile(const config::Node& node, const CompileContext&) const override {
    auto config = parse_headers_config(node);
    if (!config) return std::unexpected(config.error());
    return std::make_unique<const HeadersPolicy>(std::move(*config));
  }
};

}  // namespace

const PolicyFactory& headers_policy_factory() {
  static const HeadersPolicyFactory factory;
  return factory;
}

}  // namespace gatehouse::policies
