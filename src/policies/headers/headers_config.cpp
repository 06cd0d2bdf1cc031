#include "policies/headers/headers_config.h"

#include <algorithm>
#include <array>

#include "http/message.h"
#include "policies/http_syntax.h"

namespace gatehouse::policies {

namespace {

// Editing these would desynchronise the framing the gateway writes from the headers it sends.
constexpr std::array<std::string_view, 8> kGatewayOwnedHeaders = {
    "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
    "Trailer",        "Proxy-Connection",
};

std::optional<std::string> check_editable_header_name(std::string_view name) {
  if (auto problem = check_header_name(name)) return problem;
  const bool owned =
      std::any_of(kGatewayOwnedHeaders.begin(), kGatewayOwnedHeaders.end(),
                  [&](std::string_view owned) { return http::iequals(owned, name); });
  if (owned) {
    return "header '" + std::string(name) +
           "' frames the message or connection and is managed by the gateway";
  }
  return std::nullopt;
}

// `Name: value` pairs; names are compared without case, so `X-A` and `x-a` are the same header.
Parsed<std::vector<std::pair<std::string, std::string>>> read_header_values(
    const config::Node& node) {
  auto entries = read_mapping(node);
  if (!entries) return std::unexpected(entries.error());
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [key, value] : *entries) {
    auto name = read_string(key, check_editable_header_name);
    if (!name) return std::unexpected(name.error());
    const bool repeated = std::any_of(headers.begin(), headers.end(), [&](const auto& header) {
      return http::iequals(header.first, *name);
    });
    if (repeated) {
      return std::unexpected(error_at(key, "header '" + *name + "' is given twice"));
    }
    auto text = read_string(value, check_header_value);
    if (!text) return std::unexpected(text.error());
    headers.emplace_back(std::move(*name), std::move(*text));
  }
  return headers;
}

Parsed<HeaderRules> read_rules(const config::Node& node) {
  if (auto checked = check_mapping(node, {"set", "add", "remove"}); !checked) {
    return std::unexpected(checked.error());
  }
  HeaderRules rules;
  if (auto set = find_key(node, "set")) {
    auto headers = read_header_values(*set);
    if (!headers) return std::unexpected(headers.error());
    rules.set = std::move(*headers);
  }
  if (auto add = find_key(node, "add")) {
    auto headers = read_header_values(*add);
    if (!headers) return std::unexpected(headers.error());
    rules.add = std::move(*headers);
  }
  if (auto remove = find_key(node, "remove")) {
    auto names = read_string_list(*remove, check_editable_header_name);
    if (!names) return std::unexpected(names.error());
    rules.remove = std::move(*names);
  }
  if (rules.empty()) {
    return std::unexpected(error_at(node, "expected at least one of: set, add, remove"));
  }
  return rules;
}

}  // namespace

Parsed<HeadersConfig> parse_headers_config(const config::Node& node) {
  if (auto checked = check_mapping(node, {"type", "request", "response"}); !checked) {
    return std::unexpected(checked.error());
  }
  HeadersConfig config;
  const std::optional<config::Node> request = find_key(node, "request");
  const std::optional<config::Node> response = find_key(node, "response");
  if (!request && !response) {
    return std::unexpected(error_at(node, "a headers policy needs 'request', 'response' or both"));
  }
  if (request) {
    auto rules = read_rules(*request);
    if (!rules) return std::unexpected(rules.error());
    config.request = std::move(*rules);
  }
  if (response) {
    auto rules = read_rules(*response);
    if (!rules) return std::unexpected(rules.error());
    config.response = std::move(*rules);
  }
  return config;
}

}  // namespace gatehouse::policies
