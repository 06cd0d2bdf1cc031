#include "config/sections.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace gatehouse::config {

std::string ReadContext::resolve_path(const std::string& path) const {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (config_dir / path).lexically_normal().string();
}

bool read_checked_string(MapReader& map, std::string_view key, std::string& out, StringRule rule,
                         Presence presence, ReadContext& context) {
  const std::optional<Node> value = map.get(key, presence);
  if (!value) return false;
  std::optional<std::string> text = read_string(*value, key, context.errors);
  if (!text) return false;
  if (const std::optional<std::string> broken = rule(*text)) {
    context.errors.push_back(value_error(*value, key, *broken));
    return false;
  }
  out = std::move(*text);
  return true;
}

namespace {

// "'a', 'b' or 'c'"
std::string alternatives(std::span<const std::string_view> keys) {
  std::string text;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) text += i + 1 == keys.size() ? " or " : ", ";
    text.append(1, '\'').append(keys[i]).append(1, '\'');
  }
  return text;
}

}  // namespace

std::optional<std::pair<size_t, Node>> read_one_of(MapReader& map,
                                                   std::span<const std::string_view> keys,
                                                   std::string_view what, ReadContext& context) {
  std::optional<std::pair<size_t, Node>> found;
  std::vector<Location> written;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::optional<Node> value = map.get(keys[i]);
    if (const std::optional<Location> at = map.key_location(keys[i])) {
      written.push_back(*at);
      if (value) found.emplace(i, *value);
    }
  }
  if (!map.is_map()) return std::nullopt;
  if (written.empty()) {
    context.errors.push_back(
        {map.location(), "missing one of " + alternatives(keys) + " in " + std::string(what)});
    return std::nullopt;
  }
  if (written.size() > 1) {
    std::ranges::sort(written, {},
                      [](const Location& at) { return std::pair(at.line, at.column); });
    context.errors.push_back(
        {written[1], "write only one of " + alternatives(keys) + " per " + std::string(what)});
    return std::nullopt;
  }
  return found;
}

bool read_file_path(MapReader& map, std::string_view key, std::string& out, Presence presence,
                    ReadContext& context) {
  const std::optional<Node> value = map.get(key, presence);
  if (!value) return false;
  const std::optional<std::string> text = read_string(*value, key, context.errors);
  if (!text) return false;
  const std::string path = context.resolve_path(*text);
  if (!std::ifstream(path)) {
    std::string message = std::string(1, '\'').append(key).append("' file ").append(path);
    context.errors.push_back(
        {value->location(), message.append(" cannot be read: ").append(std::strerror(errno))});
    return false;
  }
  out = path;
  return true;
}

std::string line_of(const Location& location) {
  return "line " + std::to_string(location.line);
}

}  // namespace gatehouse::config
