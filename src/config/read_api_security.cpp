// An API's `security` (which schemes admit a caller) and `backend_jwt` (what the backend is told
// about the caller).
#include <algorithm>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

bool is_application_scheme(Scheme scheme) {
  return scheme != Scheme::mutual_tls;
}

MutualTlsConfig read_mutual_tls(const Node& node, ReadContext& context) {
  MutualTlsConfig mutual_tls;
  MapReader map(node, "mutual_tls", context.errors);
  read_file_path(map, "ca_file", mutual_tls.ca_file, Presence::optional, context);
  if (const std::optional<Node> certificates = map.get("certificates")) {
    if (const auto items = read_list(*certificates, "certificates", context.errors)) {
      for (const Node& item : *items) {
        const auto path = read_string(item, "certificates", context.errors);
        if (path) mutual_tls.certificates.push_back(context.resolve_path(*path));
      }
    }
  }
  map.read_string("header", mutual_tls.header);
  map.read_string_list("trusted_proxies", mutual_tls.trusted_proxies);
  map.finish();
  if (mutual_tls.ca_file.empty() && mutual_tls.certificates.empty()) {
    context.errors.push_back(
        {map.location(), "mutual_tls needs 'ca_file' or 'certificates' to trust"});
  }
  return mutual_tls;
}

std::optional<bool> read_mandatory(MapReader& map, std::string_view key) {
  bool mandatory = false;
  if (!map.read_choice<bool>(key, mandatory, {{"mandatory", true}, {"optional", false}})) {
    return std::nullopt;
  }
  return mandatory;
}

}  // namespace

ApiSecurityConfig read_api_security(const Node& node, ReadContext& context) {
  ApiSecurityConfig security;
  MapReader map(node, "security", context.errors);
  if (const std::optional<Node> schemes = map.get("schemes", Presence::required)) {
    if (const auto items = read_list(*schemes, "schemes", context.errors)) {
      for (const Node& item : *items) {
        const auto scheme = read_choice<Scheme>(item, "schemes",
                                                {{"oauth2", Scheme::oauth2},
                                                 {"api_key", Scheme::api_key},
                                                 {"basic_auth", Scheme::basic_auth},
                                                 {"mutual_tls", Scheme::mutual_tls}},
                                                context.errors);
        if (!scheme) continue;
        if (std::ranges::find(security.schemes, *scheme) != security.schemes.end()) {
          context.errors.push_back(value_error(item, "schemes", "lists a scheme twice"));
          continue;
        }
        security.schemes.push_back(*scheme);
      }
      if (items->empty()) {
        context.errors.push_back(value_error(*schemes, "schemes", "must list at least one scheme"));
      }
    }
  }
  const bool has_application = std::ranges::any_of(security.schemes, is_application_scheme);
  const bool has_mutual_tls =
      std::ranges::find(security.schemes, Scheme::mutual_tls) != security.schemes.end();
  security.application_mandatory = has_application;
  security.mutual_tls_mandatory = has_mutual_tls && !has_application;
  if (const auto mandatory = read_mandatory(map, "application_security")) {
    security.application_mandatory = *mandatory;
  }
  if (const auto mandatory = read_mandatory(map, "mutual_tls_security")) {
    security.mutual_tls_mandatory = *mandatory;
  }
  map.read_string_list("key_managers", security.key_managers);
  if (const std::optional<Node> mutual_tls = map.get("mutual_tls")) {
    security.mutual_tls = read_mutual_tls(*mutual_tls, context);
    if (!has_mutual_tls) {
      context.errors.push_back(
          {*map.key_location("mutual_tls"), "'mutual_tls' is set but 'schemes' does not list it"});
    }
  } else if (has_mutual_tls) {
    context.errors.push_back({map.location(),
                              "scheme mutual_tls needs a 'mutual_tls' map with 'ca_file' or "
                              "'certificates'"});
  }
  map.finish();
  if (security.application_mandatory && !has_application) {
    context.errors.push_back({*map.key_location("application_security"),
                              "application_security is mandatory but 'schemes' lists none of "
                              "oauth2, api_key, basic_auth"});
  }
  if (security.mutual_tls_mandatory && !has_mutual_tls) {
    context.errors.push_back({*map.key_location("mutual_tls_security"),
                              "mutual_tls_security is mandatory but 'schemes' lacks mutual_tls"});
  }
  return security;
}

BackendJwtConfig read_backend_jwt(const Node& node, ReadContext& context) {
  BackendJwtConfig backend_jwt;
  MapReader map(node, "backend_jwt", context.errors);
  map.read_string("header", backend_jwt.header);
  map.read_string_list("claims", backend_jwt.claims);
  map.read_string("audience", backend_jwt.audience);
  map.read_duration("ttl", backend_jwt.ttl);
  map.read_bool("keep_authorization", backend_jwt.keep_authorization);
  map.finish();
  return backend_jwt;
}

}  // namespace gatehouse::config
