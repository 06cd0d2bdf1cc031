// The `users` (Basic Auth) and `roles` (role → scopes) sections.
#include "config/sections.h"

namespace gatehouse::config {
namespace {

bool known_hash_format(std::string_view hash) {
  return hash.starts_with("$argon2id$") || hash.starts_with("$2a$") || hash.starts_with("$2b$") ||
         hash.starts_with("$2y$");
}

UserConfig read_user(const Node& node, ReadContext& context) {
  UserConfig user;
  user.location = node.location();
  MapReader map(node, "user", context.errors);
  identity::User& record = user.record;
  map.read_string("name", record.name, Presence::required);
  if (const std::optional<Node> hash = map.get("password_hash", Presence::required)) {
    if (auto text = read_string(*hash, "password_hash", context.errors)) {
      if (!known_hash_format(*text)) {
        context.errors.push_back(value_error(
            *hash, "password_hash",
            "must be an Argon2id ($argon2id$...) or bcrypt ($2b$...) hash; make one with "
            "`gatehouse hash-password`"));
      }
      record.password_hash = std::move(*text);
    }
  }
  map.read_string_list("roles", record.roles);
  map.finish();
  if (record.name.find(':') != std::string::npos) {
    context.errors.push_back(
        {user.location,
         "user name '" + record.name + "' must not contain ':' (Basic Auth splits there)"});
  }
  return user;
}

}  // namespace

std::vector<UserConfig> read_users(const Node& list, ReadContext& context) {
  std::vector<UserConfig> users;
  const auto items = read_list(list, "users", context.errors);
  if (!items) return users;
  for (const Node& item : *items) {
    UserConfig user = read_user(item, context);
    for (const UserConfig& earlier : users) {
      if (!user.record.name.empty() && user.record.name == earlier.record.name) {
        context.errors.push_back(
            {user.location,
             "user '" + user.record.name + "' is already defined at " + line_of(earlier.location)});
      }
    }
    users.push_back(std::move(user));
  }
  return users;
}

std::vector<std::pair<std::string, std::vector<std::string>>> read_roles(const Node& map_node,
                                                                         ReadContext& context) {
  std::vector<std::pair<std::string, std::vector<std::string>>> roles;
  if (!map_node.yaml.IsMap()) {
    context.errors.push_back(value_error(map_node, "roles", "must map each role to its scopes"));
    return roles;
  }
  for (const auto& entry : map_node.yaml) {
    const Node key{entry.first, map_node.file};
    const Node value{entry.second, map_node.file};
    const auto role = read_string(key, "roles", context.errors);
    auto scopes = read_string_list(value, role.value_or("roles"), context.errors);
    if (role && scopes) roles.emplace_back(*role, std::move(*scopes));
  }
  return roles;
}

}  // namespace gatehouse::config
