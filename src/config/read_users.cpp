// The `users` (Basic Auth) and `roles` (role → scopes) sections.
#include "config/sections.h"
#include "security/identity/password_hash.h"

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
  read_password_hash(map, record.password_hash, context);
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

bool read_password_hash(MapReader& map, std::string& out, ReadContext& context) {
  const std::optional<Node> hash = map.get("password_hash", Presence::required);
  if (!hash) return false;
  std::optional<std::string> text = read_string(*hash, "password_hash", context.errors);
  if (!text) return false;
  if (!known_hash_format(*text)) {
    context.errors.push_back(
        value_error(*hash, "password_hash",
                    "must be an Argon2id ($argon2id$...) or bcrypt ($2b$...) hash; make one with "
                    "`gatehouse hash-password`"));
    return false;
  }
  if (const auto checked = identity::check_password_hash(*text); !checked) {
    context.errors.push_back(value_error(*hash, "password_hash", "is refused: " + checked.error()));
    return false;
  }
  out = std::move(*text);
  return true;
}

std::vector<UserConfig> read_users(const Node& list, ReadContext& context) {
  std::vector<UserConfig> users;
  const auto items = read_list(list, "users", context.errors);
  if (!items) return users;
  FirstSeen names;
  for (const Node& item : *items) {
    UserConfig user = read_user(item, context);
    if (!user.record.name.empty()) {
      if (const auto first = names.first(user.record.name, users.size())) {
        context.errors.push_back({user.location, "user '" + user.record.name +
                                                     "' is already defined at " +
                                                     line_of(users[*first].location)});
      }
    }
    users.push_back(std::move(user));
  }
  return users;
}

std::vector<std::pair<std::string, std::vector<std::string>>> read_roles(const Node& map_node,
                                                                         ReadContext& context) {
  std::vector<std::pair<std::string, std::vector<std::string>>> roles;
  if (!map_node.is_map()) {
    context.errors.push_back(value_error(map_node, "roles", "must map each role to its scopes"));
    return roles;
  }
  FirstSeen names;
  std::vector<Location> locations;  // of the roles kept
  for (const auto& [key, value] : map_node.entries()) {
    const auto role = read_string(key, "roles", context.errors);
    auto scopes = read_string_list(value, role.value_or("roles"), context.errors);
    if (!role || !scopes) continue;
    if (const auto first = names.first(*role, roles.size())) {
      context.errors.push_back({key.location(), "role '" + *role + "' is already defined at " +
                                                    line_of(locations[*first])});
      continue;
    }
    roles.emplace_back(*role, std::move(*scopes));
    locations.push_back(key.location());
  }
  return roles;
}

}  // namespace gatehouse::config
