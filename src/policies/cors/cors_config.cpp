#include "policies/cors/cors_config.h"

#include <algorithm>
#include <cctype>

#include "config/node_reader.h"
#include "policies/http_syntax.h"

namespace gatehouse::policies {

namespace {

// Browsers cap the preflight cache lifetime well below this (Firefox: one day).
constexpr int64_t kMaxAgeLimit = 86'400;

bool is_scheme(std::string_view text) {
  return !text.empty() && std::isalpha(static_cast<unsigned char>(text.front())) &&
         std::ranges::all_of(text, [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
         });
}

// host[:port], the host a name, an IPv4 address or a bracketed IPv6 address.
bool is_host_and_port(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' ||
           c == '[' || c == ']';
  });
}

// An origin as browsers serialise it: scheme://host[:port], nothing after.
bool is_origin(std::string_view text) {
  const size_t separator = text.find("://");
  return separator != std::string_view::npos && is_scheme(text.substr(0, separator)) &&
         is_host_and_port(text.substr(separator + 3));
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The strings of a list, each with its node for messages; nullopt when it is not a list of
// strings.
std::optional<std::vector<std::pair<config::Node, std::string>>> read_strings(
    const config::Node& list, std::string_view key, config::ConfigErrors& errors) {
  const std::optional<std::vector<config::Node>> items = config::read_list(list, key, errors);
  if (!items) return std::nullopt;
  std::vector<std::pair<config::Node, std::string>> strings;
  bool valid = true;
  for (const config::Node& item : *items) {
    if (std::optional<std::string> text = config::read_string(item, key, errors)) {
      strings.emplace_back(item, std::move(*text));
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return strings;
}

// Browsers ignore "*" in these headers for credentialed requests, so a config that looks open
// would silently not work: refused where the wildcard is written.
void refuse_wildcard_with_credentials(const config::Node& item, std::string_view key,
                                      config::ConfigErrors& errors) {
  errors.push_back({item.location(), "\"*\" in '" + std::string(key) +
                                         "' is refused by browsers when allow_credentials is "
                                         "true; list the values"});
}

void read_origins(config::MapReader& map, CorsConfig& config, config::ConfigErrors& errors) {
  const std::optional<config::Node> list = map.get("allow_origins", config::Presence::required);
  if (!list) return;
  auto items = read_strings(*list, "allow_origins", errors);
  if (!items) return;
  if (items->empty()) {
    errors.push_back(config::value_error(*list, "allow_origins", "must list at least one origin"));
    return;
  }
  for (auto& [item, origin] : *items) {
    if (origin == "*") {
      if (config.allow_credentials) refuse_wildcard_with_credentials(item, "allow_origins", errors);
      config.any_origin = true;
    } else if (is_origin(origin)) {
      config.allow_origins.push_back(lower(std::move(origin)));
    } else {
      errors.push_back(config::value_error(
          item, "allow_origins",
          "must list origins as scheme://host[:port] without a path, or \"*\""));
    }
  }
}

// A list of HTTP tokens (methods or header names); `out` keeps its default when absent.
void read_tokens(config::MapReader& map, std::string_view key, bool credentials,
                 std::vector<std::string>& out, config::ConfigErrors& errors) {
  const std::optional<config::Node> list = map.get(key);
  if (!list) return;
  auto items = read_strings(*list, key, errors);
  if (!items) return;
  out.clear();
  for (auto& [item, token] : *items) {
    if (!is_token(token)) {
      errors.push_back(config::value_error(
          item, key, "must list HTTP tokens (" + std::string(kTokenRule) + ")"));
    } else if (credentials && token == "*") {
      refuse_wildcard_with_credentials(item, key, errors);
    } else {
      out.push_back(std::move(token));
    }
  }
}

}  // namespace

Parsed<CorsConfig> parse_cors_config(const config::Node& node) {
  config::ConfigErrors errors;
  config::MapReader map(node, "cors policy", errors);
  map.allow("type");
  CorsConfig config;
  map.read_bool("allow_credentials", config.allow_credentials);
  read_origins(map, config, errors);
  read_tokens(map, "allow_methods", config.allow_credentials, config.allow_methods, errors);
  read_tokens(map, "allow_headers", config.allow_credentials, config.allow_headers, errors);
  read_tokens(map, "expose_headers", config.allow_credentials, config.expose_headers, errors);
  if (int64_t seconds = 0; map.read_integer("max_age", seconds, int64_t{0}, kMaxAgeLimit)) {
    config.max_age_seconds = static_cast<uint64_t>(seconds);
  }
  map.finish();
  return parsed(std::move(config), errors);
}

}  // namespace gatehouse::policies
