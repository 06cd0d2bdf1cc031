#include "policies/headers/headers_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <unordered_set>

#include "config/node_reader.h"
#include "http/message.h"
#include "policies/http_syntax.h"

namespace gatehouse::policies {

namespace {

// Editing these would desynchronise the framing the gateway writes from the headers it sends.
constexpr std::array<std::string_view, 8> kFramingHeaders = {
    "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
    "Trailer",        "Proxy-Connection",
};

// The proxy writes these toward the backend itself (proxy/head_writer.cpp); an edit would send
// them twice or not take effect.
constexpr std::array<std::string_view, 6> kWrittenTowardBackend = {
    "Host", "Expect", "X-Request-ID", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
};

std::string lower_case(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

bool listed(std::span<const std::string_view> names, std::string_view name) {
  return std::ranges::any_of(names, [&](std::string_view n) { return http::iequals(n, name); });
}

// Checks a header name written under `list` ("set", "add" or "remove"); reports it if wrong.
bool check_name(const config::Node& node, const std::string& name, std::string_view list,
                bool toward_backend, config::ConfigErrors& errors) {
  if (!is_token(name)) {
    errors.push_back(config::value_error(
        node, list, "must name headers by HTTP tokens (" + std::string(kTokenRule) + ")"));
    return false;
  }
  std::string_view owner;
  if (listed(kFramingHeaders, name)) {
    owner = "frames the message or connection and is managed by the gateway";
  } else if (toward_backend && listed(kWrittenTowardBackend, name)) {
    owner = "is written by the gateway toward the backend";
  }
  if (!owner.empty()) {
    errors.push_back(
        {node.location(), "header '" + name + "' " + std::string(owner) + "; it cannot be edited"});
    return false;
  }
  return true;
}

// `Name: value` pairs in the order written; names are compared without case, so `X-A` and `x-a`
// are the same header.
std::vector<std::pair<std::string, std::string>> read_header_values(const config::Node& node,
                                                                    std::string_view list,
                                                                    bool toward_backend,
                                                                    config::ConfigErrors& errors) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!node.is_map()) {
    errors.push_back(config::value_error(node, list, "must map header names to values"));
    return headers;
  }
  std::unordered_set<std::string> seen;  // lower case
  for (const auto& [key, value] : node.entries()) {
    std::optional<std::string> name = config::read_string(key, list, errors);
    if (!name || !check_name(key, *name, list, toward_backend, errors)) continue;
    if (!seen.insert(lower_case(*name)).second) {
      errors.push_back(
          {key.location(), "header '" + *name + "' is given twice in '" + std::string(list) + "'"});
      continue;
    }
    std::optional<std::string> text = config::read_string(value, *name, errors);
    if (!text) continue;
    headers.emplace_back(std::move(*name), std::move(*text));
  }
  return headers;
}

std::vector<std::string> read_header_names(const config::Node& node, bool toward_backend,
                                           config::ConfigErrors& errors) {
  std::vector<std::string> names;
  const std::optional<std::vector<config::Node>> items = config::read_list(node, "remove", errors);
  if (!items) return names;
  for (const config::Node& item : *items) {
    std::optional<std::string> name = config::read_string(item, "remove", errors);
    if (name && check_name(item, *name, "remove", toward_backend, errors))
      names.push_back(std::move(*name));
  }
  return names;
}

HeaderRules read_rules(const config::Node& node, const std::string& direction,
                       config::ConfigErrors& errors) {
  HeaderRules rules;
  const bool toward_backend = direction == "request";
  config::MapReader map(node, "'" + direction + "' of the headers policy", errors);
  const std::optional<config::Node> set = map.get("set");
  const std::optional<config::Node> add = map.get("add");
  const std::optional<config::Node> remove = map.get("remove");
  if (set) rules.set = read_header_values(*set, "set", toward_backend, errors);
  if (add) rules.add = read_header_values(*add, "add", toward_backend, errors);
  if (remove) rules.remove = read_header_names(*remove, toward_backend, errors);
  map.finish();
  if (map.is_map() && !set && !add && !remove && errors.empty()) {
    errors.push_back(
        {node.location(), "'" + direction + "' needs at least one of set, add, remove"});
  }
  return rules;
}

}  // namespace

Parsed<HeadersConfig> parse_headers_config(const config::Node& node) {
  config::ConfigErrors errors;
  config::MapReader map(node, "headers policy", errors);
  map.allow("type");
  HeadersConfig config;
  const std::optional<config::Node> request = map.get("request");
  const std::optional<config::Node> response = map.get("response");
  if (request) config.request = read_rules(*request, "request", errors);
  if (response) config.response = read_rules(*response, "response", errors);
  map.finish();
  if (map.is_map() && !request && !response && errors.empty()) {
    errors.push_back({node.location(), "a headers policy needs 'request', 'response' or both"});
  }
  return parsed(std::move(config), errors);
}

}  // namespace gatehouse::policies
