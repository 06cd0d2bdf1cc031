#include "config/loader.h"

#include <yaml-cpp/exceptions.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

Location location_of(const std::string& file, const YAML::Mark& mark) {
  return Location{file, mark.line + 1, mark.column + 1};
}

// yaml-cpp's message for the most common slip, a '{' inside a flow map's plain value, does not say
// what to do about it.
std::string syntax_message(const YAML::Exception& e) {
  if (e.msg == "end of map flow not found" || e.msg == "end of sequence flow not found") {
    return e.msg + " (inside {...} or [...], quote a value that contains '{', '}', '[', ']' or " +
           "',', like path: \"/order/{orderId}\")";
  }
  return e.msg;
}

void read_security_sections(MapReader& map, SecurityConfig& security, ReadContext& context) {
  read_file_path(map, "signing_key", security.signing_key_file, Presence::optional, context);
  security.signing_key_location = map.key_location("signing_key").value_or(Location{});
  if (const std::optional<Node> api_keys = map.get("api_keys")) {
    security.api_keys = read_api_keys(*api_keys, context);
  }
  if (const std::optional<Node> token_cache = map.get("token_cache")) {
    security.token_cache = read_token_cache(*token_cache, context);
  }
  if (const std::optional<Node> key_managers = map.get("key_managers")) {
    security.key_managers = read_key_managers(*key_managers, context);
  }
  if (const std::optional<Node> applications = map.get("applications")) {
    security.applications = read_applications(*applications, context);
  }
  if (const std::optional<Node> subscriptions = map.get("subscriptions")) {
    security.subscriptions = read_subscriptions(*subscriptions, context);
  }
  if (const std::optional<Node> users = map.get("users")) {
    security.users = read_users(*users, context);
  }
  if (const std::optional<Node> roles = map.get("roles")) {
    security.role_scopes = read_roles(*roles, context);
  }
}

Config read_config(const Node& root, ReadContext& context) {
  Config config;
  config.file = root.file();
  if (root.is_null()) {
    context.errors.push_back({Location{config.file, 1, 1}, "the file is empty"});
    return config;
  }
  MapReader map(root, "configuration", context.errors);
  map.read_integer("workers", config.workers, 0, 1024);
  if (const std::optional<Node> listeners = map.get("listeners", Presence::required)) {
    config.listeners = read_listeners(*listeners, context);
  }
  if (const std::optional<Node> admin = map.get("admin")) {
    config.admin = read_admin(*admin, context, config.warnings);
  }
  if (const std::optional<Node> limits = map.get("limits")) {
    config.limits = read_limits(*limits, context);
  }
  if (const std::optional<Node> access_log = map.get("access_log")) {
    config.access_log = read_access_log(*access_log, context);
  }
  map.read_duration("shutdown_timeout", config.shutdown_timeout);
  if (const std::optional<Node> apis = map.get("apis")) {
    config.apis = read_apis(*apis, context);
  }
  read_security_sections(map, config.security, context);
  if (const std::optional<Node> throttling = map.get("throttling")) {
    config.throttling = read_throttling(*throttling, context);
  }
  if (const std::optional<Node> oauth2_server = map.get("oauth2_server")) {
    config.oauth2_server = read_oauth2_server(*oauth2_server, context);
  }
  map.finish();
  if (config.oauth2_server) add_resident_key_manager(config, context);
  check_security_references(config, context);
  check_throttling_references(config, context);
  if (config.admin) {
    for (const ListenerConfig& listener : config.listeners) {
      if (listener.address.port != 0 && listener.address.host == config.admin->address.host &&
          listener.address.port == config.admin->address.port) {
        context.errors.push_back(
            {*map.key_location("admin"),
             "the admin address is already used by listener '" + listener.name + "'"});
      }
    }
  }
  return config;
}

std::unexpected<ConfigErrors> one_error(ConfigError error) {
  ConfigErrors errors;
  errors.push_back(std::move(error));
  return std::unexpected(std::move(errors));
}

std::unexpected<ConfigErrors> too_large(const std::string& file, uintmax_t size) {
  return one_error({Location{file, 0, 0}, "the file is too large: " + std::to_string(size) +
                                              " bytes, over the " +
                                              std::to_string(max_config_bytes) +
                                              " (16 MiB) a configuration file may hold"});
}

}  // namespace

std::expected<Config, ConfigErrors> load_string(std::string_view yaml,
                                                const std::string& filename) {
  if (yaml.size() > max_config_bytes) return too_large(filename, yaml.size());
  ConfigErrors errors;
  ReadContext context{errors, std::filesystem::path(filename).parent_path()};
  Config config;
  try {
    config = read_config(parse_yaml(yaml, filename), context);
  } catch (const YAML::Exception& e) {
    // Syntax errors; the readers themselves use only accessors that do not throw.
    return one_error({location_of(filename, e.mark), syntax_message(e)});
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return config;
}

std::expected<Config, ConfigErrors> load_file(const std::string& path) {
  // No line to point at: 0:0 stands for the file as a whole.
  const auto unreadable = [&] {
    return one_error(
        {Location{path, 0, 0}, std::string("cannot read the file: ") + std::strerror(errno)});
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable();
  std::error_code not_regular;
  const uintmax_t size = std::filesystem::file_size(path, not_regular);
  if (!not_regular && size > max_config_bytes) return too_large(path, size);
  // Read in pieces, up to one byte past the limit: a pipe has no size to check first.
  std::string text;
  text.reserve(not_regular ? 0 : static_cast<size_t>(size));
  char piece[64 * 1024];
  while (text.size() <= max_config_bytes && in.read(piece, sizeof piece).gcount() > 0) {
    text.append(piece, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return unreadable();
  return load_string(text, path);
}

}  // namespace gatehouse::config
