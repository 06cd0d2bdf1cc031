#include "admin/api_key_routes.h"

#include <boost/json/object.hpp>

#include <string>

#include "admin/responses.h"
#include "security/jose/strict_json.h"
#include "security/tokens/application_api_keys.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

constexpr std::string_view kApplicationsPrefix = "/applications/";
constexpr std::string_view kMiddle = "/api-keys/";
constexpr std::string_view kSuffix = "/generate";

// A comma-separated restriction ("" restricts nothing) as the issuer's list.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> entries;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    while (entry.starts_with(' ')) entry.remove_prefix(1);
    while (entry.ends_with(' ')) entry.remove_suffix(1);
    if (!entry.empty()) entries.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return entries;
}

std::expected<void, std::string> read_restrictions(const json::value& value,
                                                   tokens::ApiKeyOptions& options) {
  if (!value.is_object()) return std::unexpected("\"additionalProperties\" must be an object");
  for (const auto& member : value.get_object()) {
    const bool is_ip = member.key() == "permittedIP";
    if (!is_ip && member.key() != "permittedReferer") {
      std::string message = "unknown member '";
      message.append(member.key());
      message.append(
          "' of \"additionalProperties\"; expected \"permittedIP\" or \"permittedReferer\"");
      return std::unexpected(std::move(message));
    }
    if (!member.value().is_string()) {
      std::string message = "\"";
      message.append(member.key()).append("\" must be a comma-separated string");
      return std::unexpected(std::move(message));
    }
    (is_ip ? options.permitted_ips : options.permitted_referrers) =
        split_list(member.value().get_string());
  }
  return {};
}

// The options the body asks for, and the validityTime to answer with (WSO2 echoes -1).
std::expected<std::pair<tokens::ApiKeyOptions, int64_t>, std::string> read_body(
    std::string_view body) {
  tokens::ApiKeyOptions options;
  int64_t validity_time = options.validity.count();
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::pair{options, validity_time};
  }
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  for (const auto& member : *parsed) {
    if (member.key() == "validityPeriod") {
      const json::value& period = member.value();
      if (!period.is_int64() || (period.get_int64() < 1 && period.get_int64() != -1)) {
        return std::unexpected("\"validityPeriod\" must be a number of seconds, or -1");
      }
      validity_time = period.get_int64();
      options.validity =
          validity_time == -1 ? tokens::max_api_key_validity : std::chrono::seconds(validity_time);
    } else if (member.key() == "additionalProperties") {
      if (auto read = read_restrictions(member.value(), options); !read) {
        return std::unexpected(read.error());
      }
    } else {
      return std::unexpected("unknown member '" + std::string(member.key()) +
                             "'; expected \"validityPeriod\" and \"additionalProperties\"");
    }
  }
  return std::pair{options, validity_time};
}

}  // namespace

std::optional<ApiKeyPath> parse_api_key_path(std::string_view path) {
  if (!path.starts_with(kApplicationsPrefix) || !path.ends_with(kSuffix)) return std::nullopt;
  path.remove_prefix(kApplicationsPrefix.size());
  path.remove_suffix(kSuffix.size());
  const size_t middle = path.find(kMiddle);
  if (middle == 0 || middle == std::string_view::npos) return std::nullopt;
  ApiKeyPath parts{path.substr(0, middle), path.substr(middle + kMiddle.size())};
  const bool one_segment_each = parts.application_id.find('/') == std::string_view::npos &&
                                !parts.key_type.empty() &&
                                parts.key_type.find('/') == std::string_view::npos;
  if (!one_segment_each) return std::nullopt;
  return parts;
}

AdminResponse generate_api_key(const ApiKeyPath& path, std::string_view body,
                               const InstalledState& installed, int64_t now) {
  const std::optional<identity::KeyType> key_type = tokens::parse_key_type_label(path.key_type);
  if (!key_type) {
    return bad_request("the key type is PRODUCTION or SANDBOX, not '" + std::string(path.key_type) +
                       "'");
  }
  auto request = read_body(body);
  if (!request) return bad_request(request.error());
  auto& [options, validity_time] = *request;
  options.key_type = *key_type;

  auto issued = tokens::issue_application_api_key(*installed.config, *installed.gateway_key,
                                                  path.application_id, options, now);
  if (!issued) {
    if (issued.error().reason == tokens::ApiKeyRefusal::Reason::unknown_application) {
      return error_response({404, 404, "Not Found", issued.error().message});
    }
    return bad_request(issued.error().message);
  }
  return json_response(200, {{"keyName", issued->application_name + "_" +
                                             std::string(tokens::key_type_label(*key_type))},
                             {"apikey", std::move(issued->api_key)},
                             {"validityTime", validity_time}});
}

}  // namespace gatehouse::admin
