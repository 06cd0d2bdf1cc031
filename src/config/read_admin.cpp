// The `admin` section: where the admin API listens, which names it answers to, who may use it,
// and the bounds of the revocation list it keeps.
#include <arpa/inet.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

constexpr size_t sha256_bytes = 32;
// A token read from a file must be hard to guess: 32 characters, as `openssl rand -hex 16` gives.
constexpr size_t min_token_length = 32;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// RFC 6750's b64token: what a bearer token may be made of.
bool is_b64token(std::string_view token) {
  const size_t padding = token.size() - std::min(token.size(), token.find_last_not_of('=') + 1);
  const std::string_view body = token.substr(0, token.size() - padding);
  return !body.empty() && std::ranges::all_of(body, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~+/").find(c) != std::string_view::npos;
  });
}

std::string sha256(std::string_view text) {
  std::string digest(sha256_bytes, '\0');
  EVP_Digest(text.data(), text.size(), reinterpret_cast<unsigned char*>(digest.data()), nullptr,
             EVP_sha256(), nullptr);
  return digest;
}

// 64 hexadecimal digits as 32 bytes.
std::optional<std::string> hex_digest(std::string_view hex) {
  if (hex.size() != 2 * sha256_bytes) return std::nullopt;
  std::string digest;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    for (const char c : hex.substr(i, 2)) {
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    digest.push_back(static_cast<char>(value));
  }
  return digest;
}

}  // namespace

std::optional<std::string> read_bearer_token(const Node& node, ReadContext& context) {
  MapReader map(node, "token", context.errors);
  std::string hex;
  std::string path;
  const bool has_hex = map.read_string("sha256", hex);
  const bool has_file = read_file_path(map, "file", path, Presence::optional, context);
  map.finish();
  if (map.key_location("sha256").has_value() == map.key_location("file").has_value()) {
    context.errors.push_back({node.location(), "a token needs one of 'sha256' and 'file'"});
    return std::nullopt;
  }
  if (has_hex) {
    std::optional<std::string> digest = hex_digest(hex);
    if (!digest) {
      context.errors.push_back(value_error(*map.get("sha256"), "sha256",
                                           "must be 64 hexadecimal digits, as sha256sum prints"));
    }
    return digest;
  }
  if (!has_file) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  token.erase(token.find_last_not_of(" \t\r\n") + 1);
  if (token.size() < min_token_length || !is_b64token(token)) {
    context.errors.push_back(
        {*map.key_location("file"),
         "the token in " + path + " must be at least " + std::to_string(min_token_length) +
             " characters of letters, digits and -._~+/ (make one with openssl rand -hex 32)"});
    return std::nullopt;
  }
  return sha256(token);
}

namespace {

// The strings of a list that pass `rule`; each one that does not is reported at its item.
std::vector<std::string> read_checked_strings(const Node& list, std::string_view name,
                                              StringRule rule, ReadContext& context) {
  std::vector<std::string> strings;
  const auto items = read_list(list, name, context.errors);
  if (!items) return strings;
  for (const Node& item : *items) {
    std::optional<std::string> text = read_string(item, name, context.errors);
    if (!text) continue;
    if (const std::optional<std::string> broken = rule(*text)) {
      context.errors.push_back(value_error(item, name, *broken));
      continue;
    }
    strings.push_back(std::move(*text));
  }
  return strings;
}

identity::User read_admin_user(const Node& node, ReadContext& context) {
  identity::User user;
  MapReader map(node, "admin user", context.errors);
  map.read_string("name", user.name, Presence::required);
  read_password_hash(map, user.password_hash, context);
  map.finish();
  if (user.name.find(':') != std::string::npos) {
    context.errors.push_back(
        {*map.key_location("name"), "'name' must not contain ':' (Basic Auth splits there)"});
  }
  return user;
}

std::optional<std::string> check_open_path(std::string_view path) {
  if (!path.starts_with('/')) return "must list paths starting with '/', like /healthz";
  return std::nullopt;
}

AdminAuthConfig read_admin_auth(const Node& node, ReadContext& context) {
  AdminAuthConfig auth;
  MapReader map(node, "admin auth", context.errors);
  if (const std::optional<Node> tokens = map.get("tokens")) {
    if (const auto items = read_list(*tokens, "tokens", context.errors)) {
      for (const Node& item : *items) {
        if (auto digest = read_bearer_token(item, context)) auth.token_digests.push_back(*digest);
      }
    }
  }
  if (const std::optional<Node> users = map.get("users")) {
    if (const auto items = read_list(*users, "users", context.errors)) {
      FirstSeen names;
      std::vector<Location> locations;
      for (const Node& item : *items) {
        identity::User user = read_admin_user(item, context);
        const auto first =
            user.name.empty() ? std::nullopt : names.first(user.name, locations.size());
        if (first) {
          context.errors.push_back({item.location(), "admin user '" + user.name +
                                                         "' is already defined at " +
                                                         line_of(locations[*first])});
        }
        locations.push_back(item.location());
        auth.users.push_back(std::move(user));
      }
    }
  }
  if (const std::optional<Node> open_paths = map.get("open_paths")) {
    auth.open_paths = read_checked_strings(*open_paths, "open_paths", check_open_path, context);
  }
  map.finish();
  return auth;
}

RevocationLimitsConfig read_revocation_limits(const Node& node, ReadContext& context) {
  RevocationLimitsConfig limits;
  MapReader map(node, "revocations", context.errors);
  map.read_integer("capacity", limits.capacity, 1, 10'000'000);
  map.read_duration("max_lifetime", limits.max_lifetime);
  map.finish();
  return limits;
}

// A name or an address literal, as a Host header carries it (without the port).
std::optional<std::string> check_host_name(std::string_view host) {
  const bool ipv6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  const bool name = !host.empty() && std::ranges::all_of(host, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
  });
  if (ipv6 || name) return std::nullopt;
  return "must list host names or addresses without a port, like admin.example.com or [::1]";
}

bool is_loopback(const std::string& host) {
  if (lower(host) == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string address_text(const net::HostPort& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

// An admin listener others can reach must know who calls it, and should not be read in transit.
void check_exposure(MapReader& map, const AdminConfig& admin, ReadContext& context,
                    std::vector<ConfigError>& warnings) {
  const std::optional<Node> address = map.get("address");
  const Location where = address ? address->location() : admin.location;
  const bool exposed = !is_loopback(admin.address.host);
  if (admin.allow_unauthenticated && admin.authenticates()) {
    context.errors.push_back({*map.key_location("allow_unauthenticated"),
                              "'allow_unauthenticated' contradicts the authentication configured; "
                              "remove one of them"});
  }
  if (exposed && !admin.authenticates() && !admin.allow_unauthenticated) {
    context.errors.push_back(
        {where, "the admin address " + address_text(admin.address) +
                    " is not loopback, and the admin API would let anyone who reaches it issue "
                    "API keys: configure admin 'auth' (tokens or users) or client certificates "
                    "(admin 'tls' with 'client_ca'), or set 'allow_unauthenticated: true'"});
  }
  if (exposed && !admin.tls) {
    warnings.push_back({where, "the admin address " + address_text(admin.address) +
                                   " is not loopback and has no TLS: credentials and the API keys "
                                   "it issues cross the network in clear; configure admin 'tls'"});
  }
}

}  // namespace

AdminConfig read_admin(const Node& node, ReadContext& context, std::vector<ConfigError>& warnings) {
  AdminConfig admin;
  admin.location = node.location();
  MapReader map(node, "admin", context.errors);
  map.read_host_port("address", admin.address);
  if (const std::optional<Node> hosts = map.get("hosts")) {
    for (const std::string& name :
         read_checked_strings(*hosts, "hosts", check_host_name, context)) {
      admin.hosts.push_back(lower(name));
    }
  }
  if (const std::optional<Node> tls = map.get("tls")) admin.tls = read_tls(*tls, context);
  if (const std::optional<Node> auth = map.get("auth")) {
    admin.auth = read_admin_auth(*auth, context);
    const bool has_credentials = !admin.auth.token_digests.empty() || !admin.auth.users.empty();
    if (!has_credentials && !admin.authenticates() && auth->is_map()) {
      context.errors.push_back({*map.key_location("auth"),
                                "'auth' needs 'tokens' or 'users' (or admin 'tls' with "
                                "'client_ca', whose certificates then authenticate)"});
    }
  }
  map.read_bool("allow_unauthenticated", admin.allow_unauthenticated);
  if (const std::optional<Node> revocations = map.get("revocations")) {
    admin.revocations = read_revocation_limits(*revocations, context);
  }
  map.finish();
  check_exposure(map, admin, context, warnings);
  return admin;
}

}  // namespace gatehouse::config
