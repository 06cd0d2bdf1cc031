#include "config/sections.h"

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
