#include "admin/blocking_routes.h"

#include <boost/json/array.hpp>

#include <charconv>

#include "admin/responses.h"
#include "security/jose/strict_json.h"
#include "throttling/blocking.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using Kind = config::BlockingCondition::Kind;

constexpr std::string_view kBlockingConditionsPath = "/blocking-conditions";

constexpr std::pair<std::string_view, Kind> kKinds[] = {{"api", Kind::api},
                                                        {"application", Kind::application},
                                                        {"user", Kind::user},
                                                        {"ip", Kind::ip},
                                                        {"ip_range", Kind::ip_range}};

std::string_view kind_name(Kind kind) {
  for (const auto& [name, known] : kKinds) {
    if (known == kind) return name;
  }
  return "ip";
}

json::object to_json(const throttling::BlockingRule& rule) {
  return {{"id", rule.id},
          {"type", kind_name(rule.condition.kind)},
          {"value", rule.condition.value},
          {"invert", rule.condition.invert},
          {"source", rule.id == 0 ? "config" : "admin"}};
}

// The body of a POST as the condition it asks for, or why it is not one.
std::expected<config::BlockingCondition, std::string> parse_body(std::string_view body) {
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  for (const auto& member : *parsed) {
    if (member.key() != "type" && member.key() != "value" && member.key() != "invert") {
      return std::unexpected("unknown member '" + std::string(member.key()) +
                             "'; expected \"type\", \"value\" and optionally \"invert\"");
    }
  }
  config::BlockingCondition condition;
  const json::value* type = parsed->if_contains("type");
  const auto kind = type != nullptr && type->is_string()
                        ? std::ranges::find(kKinds, std::string_view(type->get_string()),
                                            &std::pair<std::string_view, Kind>::first)
                        : std::end(kKinds);
  if (kind == std::end(kKinds)) {
    return std::unexpected("\"type\" is one of api, application, user, ip, ip_range");
  }
  condition.kind = kind->second;
  const json::value* value = parsed->if_contains("value");
  if (value == nullptr || !value->is_string() || value->get_string().empty()) {
    return std::unexpected("\"value\" must be a non-empty string");
  }
  condition.value = std::string(value->get_string());
  if (const json::value* invert = parsed->if_contains("invert")) {
    if (!invert->is_bool()) return std::unexpected("\"invert\" must be true or false");
    condition.invert = invert->get_bool();
  }
  return condition;
}

AdminResponse list(const throttling::BlockingConditions& conditions) {
  json::array listed;
  for (const throttling::BlockingRule& rule : conditions.current()->rules()) {
    listed.push_back(to_json(rule));
  }
  return json_response(200, {{"blocking_conditions", std::move(listed)}});
}

std::optional<uint64_t> parse_id(std::string_view text) {
  uint64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id == 0) return std::nullopt;
  return id;
}

}  // namespace

bool is_blocking_conditions_path(std::string_view path) {
  return path == kBlockingConditionsPath ||
         (path.starts_with(kBlockingConditionsPath) && path[kBlockingConditionsPath.size()] == '/');
}

AdminResponse route_blocking_conditions(std::string_view method, std::string_view path,
                                        std::string_view body, const BlockingUpdates& updates) {
  throttling::BlockingConditions& conditions = *updates.conditions;
  if (path == kBlockingConditionsPath) {
    if (method == "GET" || method == "HEAD") return list(conditions);
    if (method != "POST") return not_allowed(method, "GET, HEAD, POST");
    auto condition = parse_body(body);
    if (!condition) return bad_request(condition.error());
    auto added = conditions.add(std::move(*condition));
    if (!added) return bad_request(added.error());
    updates.install(conditions.current());
    return json_response(201, to_json(*added));
  }
  const std::optional<uint64_t> id = parse_id(path.substr(kBlockingConditionsPath.size() + 1));
  if (!id) return bad_request("a blocking condition is addressed as /blocking-conditions/{id}");
  if (method != "DELETE") return not_allowed(method, "DELETE");
  if (!conditions.remove(*id)) {
    return not_found("no blocking condition " + std::to_string(*id) +
                     " was added through the admin listener");
  }
  updates.install(conditions.current());
  return {204, {}, {}, {}};
}

}  // namespace gatehouse::admin
