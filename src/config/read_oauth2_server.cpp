// The `oauth2_server` section: the built-in key manager and its clients.
#include <algorithm>
#include <string>

#include "config/oauth2_server_model.h"
#include "config/sections.h"
#include "config/uri_rules.h"

namespace gatehouse::config {
namespace {

// Beside the config file unless written: the grants then survive a restart from the same
// directory without a key to write.
constexpr std::string_view default_store = "gatehouse-oauth2.db";

bool is_sha256_hash(std::string_view text) {
  constexpr std::string_view prefix = "sha256:";
  if (!text.starts_with(prefix) || text.size() != prefix.size() + 64) return false;
  // Lower case, as the key manager writes and compares them.
  return text.substr(prefix.size()).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// A duration of at least a second (lifetimes, the device interval): the key manager counts seconds.
bool read_lifetime(MapReader& map, std::string_view key, std::chrono::milliseconds& out,
                   ReadContext& context) {
  const std::optional<Node> value = map.get(key);
  if (!value) return false;
  const std::optional<Millis> lifetime = read_duration(*value, key, context.errors);
  if (!lifetime) return false;
  if (*lifetime < std::chrono::seconds(1)) {
    context.errors.push_back(value_error(*value, key, "must be at least 1s"));
    return false;
  }
  out = *lifetime;
  return true;
}

// Each redirect URI checked where it is written.
void read_redirect_uris(MapReader& map, std::vector<std::string>& out, ReadContext& context) {
  const std::optional<Node> list = map.get("redirect_uris");
  if (!list) return;
  const auto items = read_list(*list, "redirect_uris", context.errors);
  if (!items) return;
  if (items->empty())
    context.errors.push_back(value_error(*list, "redirect_uris", "must not be empty"));
  for (const Node& item : *items) {
    std::optional<std::string> uri = read_string(item, "redirect_uris", context.errors);
    if (!uri) continue;
    if (const auto broken = check_redirect_uri(*uri)) {
      context.errors.push_back(value_error(item, "redirect_uris", *broken));
      continue;
    }
    out.push_back(std::move(*uri));
  }
}

enum class AuthMethod : uint8_t {
  secret,
  none,
  private_key_jwt,
  tls_client_auth,
  self_signed_tls_client_auth
};

// The name of a method that authenticates without a secret and is not public; nullopt for the
// others.
std::optional<std::string_view> secretless_method(AuthMethod method) {
  switch (method) {
    case AuthMethod::private_key_jwt:
      return "private_key_jwt";
    case AuthMethod::tls_client_auth:
      return "tls_client_auth";
    case AuthMethod::self_signed_tls_client_auth:
      return "self_signed_tls_client_auth";
    case AuthMethod::secret:
    case AuthMethod::none:
      break;
  }
  return std::nullopt;
}

// `token_endpoint_auth_method`: the secret methods (both are accepted whichever is written)
// unless written otherwise.
AuthMethod read_auth_method(MapReader& map, ReadContext& context) {
  const std::optional<Node> value = map.get("token_endpoint_auth_method");
  if (!value) return AuthMethod::secret;
  return read_choice<AuthMethod>(
             *value, "token_endpoint_auth_method",
             {{"client_secret_basic", AuthMethod::secret},
              {"client_secret_post", AuthMethod::secret},
              {"none", AuthMethod::none},
              {"private_key_jwt", AuthMethod::private_key_jwt},
              {"tls_client_auth", AuthMethod::tls_client_auth},
              {"self_signed_tls_client_auth", AuthMethod::self_signed_tls_client_auth}},
             context.errors)
      .value_or(AuthMethod::secret);
}

TrustedIssuerConfig read_trusted_issuer(const Node& node, ReadContext& context) {
  TrustedIssuerConfig trusted;
  trusted.location = node.location();
  MapReader map(node, "trusted issuer", context.errors);
  map.read_string("issuer", trusted.issuer, Presence::required);
  const bool fetched = read_checked_string(map, "jwks_uri", trusted.jwks_uri, check_endpoint_url,
                                           Presence::optional, context);
  const std::string owner = "trusted issuer '" + trusted.issuer + "'";
  const bool keys_written = map.key_location("jwks") || map.key_location("jwks_file");
  if (auto keys = read_public_keys(map, owner, Presence::optional, context)) {
    trusted.keys = std::move(*keys);
    if (fetched) {
      context.errors.push_back(
          {*map.key_location("jwks_uri"), "write only one of 'jwks', 'jwks_file' and 'jwks_uri'"});
    }
  } else if (!keys_written && !map.key_location("jwks_uri")) {
    context.errors.push_back({map.location(), owner + " needs 'jwks', 'jwks_file' or 'jwks_uri'"});
  }
  map.read_string("audience", trusted.audience);
  map.read_string("subject_claim", trusted.subject_claim);
  read_lifetime(map, "max_token_lifetime", trusted.max_token_lifetime, context);
  map.finish();
  return trusted;
}

void read_trusted_issuers(const Node& list, OAuth2ServerConfig& server, ReadContext& context) {
  const auto items = read_list(list, "trusted_issuers", context.errors);
  if (!items) return;
  FirstSeen issuers;
  for (const Node& item : *items) {
    TrustedIssuerConfig trusted = read_trusted_issuer(item, context);
    if (trusted.issuer.empty()) continue;
    if (trusted.issuer == server.issuer) {
      // Its own tokens are verified with its own keys, never with keys written here.
      context.errors.push_back(
          {trusted.location, "the key manager's own issuer cannot be a trusted issuer"});
    } else if (const auto first = issuers.first(trusted.issuer, server.trusted_issuers.size())) {
      context.errors.push_back(
          {trusted.location, "trusted issuer '" + trusted.issuer + "' is already defined at " +
                                 line_of(server.trusted_issuers[*first].location)});
    }
    server.trusted_issuers.push_back(std::move(trusted));
  }
}

OAuth2ClientConfig read_client(const Node& node, ReadContext& context) {
  OAuth2ClientConfig client;
  client.location = node.location();
  MapReader map(node, "oauth2_server client", context.errors);
  map.read_string("client_id", client.client_id, Presence::required);
  if (map.read_string("secret_hash", client.secret_hash) && !is_sha256_hash(client.secret_hash)) {
    // Not value_error(): a secret pasted here by mistake would be printed.
    context.errors.push_back({map.get("secret_hash")->location(),
                              "'secret_hash' must be \"sha256:\" and 64 lower-case hex digits"});
  }
  map.read_bool("public", client.public_client);
  const AuthMethod method = read_auth_method(map, context);
  if (method == AuthMethod::none) client.public_client = true;
  const bool by_key = method == AuthMethod::private_key_jwt;
  const bool self_signed = method == AuthMethod::self_signed_tls_client_auth;
  const std::string owner = "client '" + client.client_id + "'";
  std::optional<PublicKeysConfig> keys = read_public_keys(
      map, owner, by_key || self_signed ? Presence::required : Presence::optional, context);
  if (self_signed && keys) {
    client.self_signed_certificates = read_x5c_certificates(*keys, owner, context);
  } else if (by_key) {
    client.assertion_keys = std::move(keys);
  } else if (map.key_location("jwks") || map.key_location("jwks_file")) {
    context.errors.push_back({*map.key_location(map.key_location("jwks") ? "jwks" : "jwks_file"),
                              "'jwks' and 'jwks_file' are for 'token_endpoint_auth_method' "
                              "private_key_jwt or self_signed_tls_client_auth"});
  }
  const bool by_certificate = method == AuthMethod::tls_client_auth;
  client.tls_client_auth = read_tls_client_auth_name(map, by_certificate, context);
  map.read_bool("certificate_bound_access_tokens", client.certificate_bound_access_tokens);
  map.read_string_list("audiences", client.audiences);
  map.read_string_list("grant_types", client.grant_types, Presence::required);
  map.read_string_list("scopes", client.scopes);
  read_redirect_uris(map, client.redirect_uris, context);
  map.read_string("application", client.application);
  map.read_choice<identity::KeyType>(
      "key_type", client.key_type,
      {{"production", identity::KeyType::production}, {"sandbox", identity::KeyType::sandbox}});
  std::chrono::milliseconds lifetime{};
  if (read_lifetime(map, "access_token_lifetime", lifetime, context)) {
    client.access_token_lifetime = lifetime;
  }
  if (read_lifetime(map, "refresh_token_lifetime", lifetime, context)) {
    client.refresh_token_lifetime = lifetime;
  }
  map.read_choice<AccessTokenFormat>(
      "access_token_format", client.access_token_format,
      {{"jwt", AccessTokenFormat::jwt}, {"opaque", AccessTokenFormat::opaque}});
  map.finish();

  const auto grants = [&client](std::string_view type) {
    return std::ranges::find(client.grant_types, type) != client.grant_types.end();
  };
  const bool redirects = grants("authorization_code") || grants("implicit");
  if (redirects && client.redirect_uris.empty() && !map.key_location("redirect_uris")) {
    context.errors.push_back({client.location, "client '" + client.client_id +
                                                   "' needs 'redirect_uris' for the "
                                                   "authorization_code and implicit grants"});
  }
  const bool has_secret = map.key_location("secret_hash").has_value();
  if (client.public_client && has_secret) {
    context.errors.push_back(
        {*map.key_location("secret_hash"), "a public client has no 'secret_hash'"});
  } else if (const auto secretless = secretless_method(method);
             secretless && (has_secret || client.public_client)) {
    context.errors.push_back({client.location, owner + " authenticates by " +
                                                   std::string(*secretless) +
                                                   ": it has no 'secret_hash' and is not public"});
  } else if (!client.public_client && !has_secret && !secretless_method(method) && map.is_map()) {
    context.errors.push_back({client.location, owner + " needs 'secret_hash' or 'public: true'"});
  }
  return client;
}

ClientRegistrationConfig read_registration(const Node& node, ReadContext& context) {
  ClientRegistrationConfig registration;
  registration.location = node.location();
  const size_t errors_before = context.errors.total();
  MapReader map(node, "registration", context.errors);
  if (const std::optional<Node> tokens = map.get("initial_access_tokens")) {
    if (const auto items = read_list(*tokens, "initial_access_tokens", context.errors)) {
      for (const Node& item : *items) {
        if (auto digest = read_bearer_token(item, context)) {
          registration.initial_token_digests.push_back(std::move(*digest));
        }
      }
    }
  }
  map.read_bool("open", registration.open);
  map.read_string_list("grant_types", registration.grant_types);
  map.read_string_list("scopes", registration.scopes);
  map.read_integer("max_clients", registration.max_clients, 1, 1'000'000);
  map.finish();
  if (!registration.open && registration.initial_token_digests.empty() &&
      context.errors.total() == errors_before) {
    context.errors.push_back({registration.location,
                              "registration needs 'initial_access_tokens', or 'open: true' to let "
                              "anyone register"});
  }
  return registration;
}

}  // namespace

OAuth2ServerConfig read_oauth2_server(const Node& node, ReadContext& context) {
  OAuth2ServerConfig server;
  server.location = node.location();
  MapReader map(node, "oauth2_server", context.errors);
  read_checked_string(map, "issuer", server.issuer, check_endpoint_url, Presence::required,
                      context);
  std::string store(default_store);
  map.read_string("store", store);
  server.store = context.resolve_path(store);
  read_lifetime(map, "access_token_lifetime", server.access_token_lifetime, context);
  read_lifetime(map, "refresh_token_lifetime", server.refresh_token_lifetime, context);
  read_lifetime(map, "device_code_interval", server.device_code_interval, context);
  if (std::chrono::milliseconds rotation{};
      read_lifetime(map, "signing_key_rotation", rotation, context)) {
    server.signing_key_rotation = rotation;
  }
  map.read_choice<SigningAlg>("signing_alg", server.signing_alg,
                              {{"RS256", SigningAlg::rs256}, {"ES256", SigningAlg::es256}});
  if (const std::optional<Node> list = map.get("clients")) {
    if (const auto items = read_list(*list, "clients", context.errors)) {
      FirstSeen ids;
      for (size_t i = 0; i < items->size(); ++i) {
        OAuth2ClientConfig client = read_client((*items)[i], context);
        if (const auto first = ids.first(client.client_id, i); first && !client.client_id.empty()) {
          context.errors.push_back({client.location, "client '" + client.client_id +
                                                         "' is already defined at " +
                                                         line_of(server.clients[*first].location)});
        }
        server.clients.push_back(std::move(client));
      }
    }
  }
  if (const std::optional<Node> list = map.get("trusted_issuers")) {
    read_trusted_issuers(*list, server, context);
  }
  if (const std::optional<Node> registration = map.get("registration")) {
    server.registration = read_registration(*registration, context);
  }
  map.finish();
  return server;
}

void add_resident_key_manager(Config& config, ReadContext& context) {
  const OAuth2ServerConfig& server = *config.oauth2_server;
  for (const KeyManagerConfig& written : config.security.key_managers) {
    if (written.name == resident_key_manager) {
      context.errors.push_back({written.location, "key manager name '" +
                                                      std::string(resident_key_manager) +
                                                      "' is taken by 'oauth2_server'"});
    }
  }
  KeyManagerConfig resident;
  resident.name = resident_key_manager;
  resident.issuer = server.issuer;
  resident.resident = true;
  resident.location = server.location;
  config.security.key_managers.push_back(std::move(resident));

  for (const OAuth2ClientConfig& client : server.clients) {
    if (client.application.empty()) continue;
    const bool known = std::ranges::any_of(config.security.applications, [&](const auto& a) {
      return a.record.id == client.application;
    });
    if (!known) {
      context.errors.push_back({client.location, "application '" + client.application +
                                                     "' is not defined in 'applications'"});
    }
  }
}

}  // namespace gatehouse::config
