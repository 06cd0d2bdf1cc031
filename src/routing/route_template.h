// Parses a route's full template (prefix + path template) into segments the trie can insert.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::routing {

struct TemplateSegment {
  enum class Kind { literal, param, wildcard };
  Kind kind = Kind::literal;
  std::string text;  // the literal, or the parameter's name; empty for the wildcard
};

struct RouteTemplate {
  std::vector<TemplateSegment> segments;
  size_t prefix_segments = 0;  // how many leading segments came from the prefix
};

// `prefix` and `path_template` are each empty or start with '/'; a trailing '/' is ignored, so
// "/" (and "") stands for the prefix itself. A segment is a literal, "{name}", or "*" (last only,
// matching zero or more remaining segments). Returns a message on a malformed template.
std::expected<RouteTemplate, std::string> parse_route_template(std::string_view prefix,
                                                               std::string_view path_template);

}  // namespace gatehouse::routing
