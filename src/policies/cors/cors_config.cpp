#include "policies/cors/cors_config.h"

#include <algorithm>
#include <cctype>

#include "policies/http_syntax.h"

namespace gatehouse::policies {

namespace {

// Browsers cap the preflight cache lifetime well below this (Firefox: one day).
constexpr uint64_t kMaxAgeLimit = 86'400;

bool is_scheme(std::string_view text) {
  return !text.empty() && std::isalpha(static_cast<unsigned char>(text.front())) &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
         });
}

// host[:port], the host a name, an IPv4 address or a bracketed IPv6 address.
bool is_host_and_port(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' ||
           c == '[' || c == ']';
  });
}

std::optional<std::string> check_origin(std::string_view text) {
  if (text == "*") return std::nullopt;
  const size_t separator = text.find("://");
  if (separator != std::string_view::npos && is_scheme(text.substr(0, separator)) &&
      is_host_and_port(text.substr(separator + 3))) {
    return std::nullopt;
  }
  std::string problem = "'";
  problem.append(text).append(
      "' is not an origin; write scheme://host[:port] without a path, or \"*\"");
  return problem;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Reads an optional list of tokens, or returns `fallback` when the key is absent. With
// credentials, "*" is refused at the element that holds it.
Parsed<std::vector<std::string>> read_list(const config::Node& node, std::string_view key,
                                           std::vector<std::string> fallback, bool credentials) {
  const std::optional<config::Node> list = find_key(node, key);
  if (!list) return fallback;
  auto elements = read_sequence(*list);
  if (!elements) return std::unexpected(elements.error());
  std::vector<std::string> values;
  for (const config::Node& element : *elements) {
    auto value = read_string(element, check_token);
    if (!value) return std::unexpected(value.error());
    if (credentials && *value == "*") {
      return std::unexpected(
          error_at(element,
                   "\"*\" is not honoured by browsers with allow_credentials: true; list the "
                   "names instead"));
    }
    values.push_back(std::move(*value));
  }
  return values;
}

Parsed<void> read_origins(const config::Node& list, bool credentials, CorsConfig& config) {
  auto elements = read_sequence(list);
  if (!elements) return std::unexpected(elements.error());
  if (elements->empty()) return std::unexpected(error_at(list, "list at least one origin"));
  for (const config::Node& element : *elements) {
    auto origin = read_string(element, check_origin);
    if (!origin) return std::unexpected(origin.error());
    if (*origin != "*") {
      config.allow_origins.push_back(lower(std::move(*origin)));
    } else if (credentials) {
      return std::unexpected(
          error_at(element,
                   "\"*\" cannot be combined with allow_credentials: true (browsers refuse it); "
                   "list the origins"));
    } else {
      config.any_origin = true;
    }
  }
  return {};
}

}  // namespace

Parsed<CorsConfig> parse_cors_config(const config::Node& node) {
  if (auto checked = check_mapping(node, {"type", "allow_origins", "allow_methods", "allow_headers",
                                          "expose_headers", "allow_credentials", "max_age"});
      !checked) {
    return std::unexpected(checked.error());
  }
  CorsConfig config;
  if (auto credentials = find_key(node, "allow_credentials")) {
    auto value = read_bool(*credentials);
    if (!value) return std::unexpected(value.error());
    config.allow_credentials = *value;
  }
  const std::optional<config::Node> origins = find_key(node, "allow_origins");
  if (!origins) return std::unexpected(error_at(node, "a cors policy needs 'allow_origins'"));
  if (auto read = read_origins(*origins, config.allow_credentials, config); !read) {
    return std::unexpected(read.error());
  }

  auto methods =
      read_list(node, "allow_methods", {"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"},
                config.allow_credentials);
  if (!methods) return std::unexpected(methods.error());
  config.allow_methods = std::move(*methods);
  auto headers = read_list(node, "allow_headers", {"Authorization", "Content-Type", "apikey"},
                           config.allow_credentials);
  if (!headers) return std::unexpected(headers.error());
  config.allow_headers = std::move(*headers);
  auto exposed = read_list(node, "expose_headers", {}, config.allow_credentials);
  if (!exposed) return std::unexpected(exposed.error());
  config.expose_headers = std::move(*exposed);

  if (auto max_age = find_key(node, "max_age")) {
    auto seconds = read_unsigned(*max_age, kMaxAgeLimit);
    if (!seconds) return std::unexpected(seconds.error());
    config.max_age_seconds = *seconds;
  }
  return config;
}

}  // namespace gatehouse::policies
