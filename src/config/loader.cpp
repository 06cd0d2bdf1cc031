#include "config/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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
  config.file = *root.file;
  if (root.yaml.IsNull()) {
    context.errors.push_back({Location{config.file, 1, 1}, "the file is empty"});
    return config;
  }
  MapReader map(root, "configuration", context.errors);
  map.read_integer("workers", config.workers, 0, 1024);
  if (const std::optional<Node> listeners = map.get("listeners", Presence::required)) {
    config.listeners = read_listeners(*listeners, context);
  }
  if (const std::optional<Node> admin = map.get("admin")) {
    config.admin = read_admin(*admin, context);
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
  map.finish();
  check_security_references(config, context);
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

}  // namespace

std::expected<Config, ConfigErrors> load_string(std::string_view yaml,
                                                const std::string& filename) {
  const auto file = std::make_shared<const std::string>(filename);
  ConfigErrors errors;
  ReadContext context{errors, std::filesystem::path(filename).parent_path()};
  Config config;
  try {
    config = read_config(Node{YAML::Load(std::string(yaml)), file}, context);
  } catch (const YAML::Exception& e) {
    // Syntax errors; the readers themselves use only accessors that do not throw.
    return std::unexpected(ConfigErrors{{location_of(filename, e.mark), syntax_message(e)}});
  }
  if (!errors.empty()) {
    std::ranges::stable_sort(errors, [](const ConfigError& a, const ConfigError& b) {
      return std::pair(a.location.line, a.location.column) <
             std::pair(b.location.line, b.location.column);
    });
    return std::unexpected(std::move(errors));
  }
  return config;
}

std::expected<Config, ConfigErrors> load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    // No line to point at: 0:0 stands for the file as a whole.
    return std::unexpected(ConfigErrors{
        {Location{path, 0, 0}, std::string("cannot read the file: ") + std::strerror(errno)}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path);
}

}  // namespace gatehouse::config
