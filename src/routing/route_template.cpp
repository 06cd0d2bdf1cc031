#include "routing/route_template.h"

namespace gatehouse::routing {
namespace {

std::string segment_error(std::string_view problem, std::string_view segment) {
  std::string message(problem);
  message += ": \"";
  message += segment;
  message += '"';
  return message;
}

std::expected<TemplateSegment, std::string> parse_segment(std::string_view segment) {
  if (segment.empty()) return std::unexpected("empty segment (\"//\")");
  if (segment == "*") return TemplateSegment{TemplateSegment::Kind::wildcard, ""};
  if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
    std::string_view name = segment.substr(1, segment.size() - 2);
    if (name.empty()) return std::unexpected("empty parameter name: \"{}\"");
    if (name.find_first_of("{}*") != std::string_view::npos) {
      return std::unexpected(segment_error("invalid parameter name", segment));
    }
    return TemplateSegment{TemplateSegment::Kind::param, std::string(name)};
  }
  if (segment.find('{') != std::string_view::npos && segment.find('}') == std::string_view::npos) {
    return std::unexpected(segment_error("'{' without '}'", segment));
  }
  // Parameters and wildcards are whole segments: "{id}.json" or "file*" would be ambiguous.
  if (segment.find_first_of("{}*") != std::string_view::npos) {
    return std::unexpected(segment_error("'{', '}' and '*' must be a whole segment", segment));
  }
  return TemplateSegment{TemplateSegment::Kind::literal, std::string(segment)};
}

std::expected<void, std::string> append_segments(std::string_view part, std::string_view what,
                                                 std::vector<TemplateSegment>& out) {
  if (part.empty()) return {};
  if (part.front() != '/') return std::unexpected(std::string(what) + " must start with '/'");
  if (part.back() == '/') part.remove_suffix(1);
  while (!part.empty()) {
    part.remove_prefix(1);  // the '/' before this segment
    std::string_view segment = part.substr(0, part.find('/'));
    auto parsed = parse_segment(segment);
    if (!parsed) return std::unexpected(std::string(what) + ": " + parsed.error());
    out.push_back(std::move(*parsed));
    part.remove_prefix(segment.size());
  }
  return {};
}

}  // namespace

std::expected<RouteTemplate, std::string> parse_route_template(std::string_view prefix,
                                                               std::string_view path_template) {
  RouteTemplate result;
  if (auto appended = append_segments(prefix, "prefix", result.segments); !appended) {
    return std::unexpected(appended.error());
  }
  result.prefix_segments = result.segments.size();
  if (auto appended = append_segments(path_template, "path template", result.segments); !appended) {
    return std::unexpected(appended.error());
  }
  for (size_t i = 0; i + 1 < result.segments.size(); ++i) {
    if (result.segments[i].kind == TemplateSegment::Kind::wildcard) {
      return std::unexpected("'*' must be the last segment");
    }
  }
  return result;
}

}  // namespace gatehouse::routing
