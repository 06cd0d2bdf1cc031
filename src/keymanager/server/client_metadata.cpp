#include "keymanager/server/client_metadata.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <array>
#include <optional>

#include "config/uri_rules.h"
#include "keymanager/server/authorization_request.h"
#include "keymanager/server/scope.h"

namespace gatehouse::keymanager {
namespace {

namespace json = boost::json;

// Bounds on what a client may have kept: registration is open to anyone with an initial token,
// or to anyone at all. The refusals below name them.
constexpr size_t longest_text = 2048;
constexpr size_t most_items = 20;

constexpr std::array descriptive_members = {"client_name",     "client_uri", "logo_uri",
                                            "tos_uri",         "policy_uri", "software_id",
                                            "software_version"};

MetadataError invalid_metadata(std::string description) {
  return {"invalid_client_metadata", std::move(description)};
}

// `"<name>" <what>`: a member refused.
MetadataError member_refused(std::string_view name, std::string_view what) {
  std::string description = "\"";
  description.append(name).append("\" ").append(what);
  return invalid_metadata(std::move(description));
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::ranges::find(items, item) != items.end();
}

// A member that is an array of short strings; nullopt, with `error` set, when it is not one.
std::optional<std::vector<std::string>> read_strings(const json::object& metadata,
                                                     std::string_view name,
                                                     std::optional<MetadataError>& error) {
  const json::value* value = metadata.if_contains(name);
  if (value == nullptr) return std::vector<std::string>{};
  const json::array* items = value->if_array();
  if (items == nullptr || items->size() > most_items) {
    error = member_refused(name, "must be an array of at most 20 strings");
    return std::nullopt;
  }
  std::vector<std::string> strings;
  for (const json::value& item : *items) {
    if (!item.is_string() || item.get_string().empty() || item.get_string().size() > longest_text) {
      error = member_refused(name, "must hold non-empty strings of at most 2048 characters");
      return std::nullopt;
    }
    const std::string text(item.get_string());
    if (!contains(strings, text)) strings.push_back(text);
  }
  return strings;
}

std::optional<MetadataError> read_descriptive(const json::object& metadata, ClientMetadata& read) {
  for (const char* name : descriptive_members) {
    const json::value* value = metadata.if_contains(name);
    if (value == nullptr) continue;
    if (!value->is_string() || value->get_string().size() > longest_text) {
      return member_refused(name, "must be a string of at most 2048 characters");
    }
    read.descriptive[name] = *value;
  }
  std::optional<MetadataError> error;
  auto contacts = read_strings(metadata, "contacts", error);
  if (!contacts) return error;
  if (!contacts->empty()) read.descriptive["contacts"] = json::value_from(*contacts);
  return std::nullopt;
}

// The response types the grant types use (RFC 7591 section 2.1's pairing).
std::vector<std::string> response_types_of(const std::vector<std::string>& grant_types) {
  std::vector<std::string> types;
  if (contains(grant_types, "authorization_code")) types.emplace_back("code");
  if (contains(grant_types, implicit_grant_type)) types.emplace_back("token");
  return types;
}

std::optional<MetadataError> check_grants(const ClientMetadata& read,
                                          const RegistrationPolicy& policy) {
  for (const std::string& type : read.grant_types) {
    if (!contains(policy.grant_types, type)) {
      return invalid_metadata("grant type '" + type + "' is not open to registered clients");
    }
  }
  for (const std::string& type : read.response_types) {
    if (type != "code" && type != "token") {
      return invalid_metadata("response type '" + type + "' is not offered (code, token)");
    }
  }
  std::vector<std::string> sorted = read.response_types;
  std::vector<std::string> expected = response_types_of(read.grant_types);
  std::ranges::sort(sorted);
  std::ranges::sort(expected);
  if (sorted != expected) {
    return invalid_metadata(
        "response_types do not match grant_types: code goes with authorization_code, token with "
        "implicit");
  }
  if (read.public_client() && contains(read.grant_types, "client_credentials")) {
    return invalid_metadata(
        "a public client (token_endpoint_auth_method none) cannot use "
        "client_credentials: it has no credentials");
  }
  const bool redirects = !read.response_types.empty();
  if (redirects && read.redirect_uris.empty()) {
    return MetadataError{"invalid_redirect_uri",
                         "redirect_uris is required with authorization_code and implicit"};
  }
  return std::nullopt;
}

// What kept_metadata kept of the client's registration; empty for a client that did not register
// itself.
json::object kept_object(const Client& client) {
  if (!client.self_registration) return {};
  boost::system::error_code ignored;
  json::value kept = json::parse(client.self_registration->metadata, ignored);
  return kept.is_object() ? std::move(kept.get_object()) : json::object();
}

}  // namespace

std::expected<ClientMetadata, MetadataError> read_client_metadata(
    const json::object& metadata, const RegistrationPolicy& policy) {
  ClientMetadata read;
  std::optional<MetadataError> error;
  auto redirect_uris = read_strings(metadata, "redirect_uris", error);
  auto grant_types = read_strings(metadata, "grant_types", error);
  auto response_types = read_strings(metadata, "response_types", error);
  if (error) return std::unexpected(*error);
  read.redirect_uris = std::move(*redirect_uris);
  for (const std::string& uri : read.redirect_uris) {
    if (const std::optional<std::string> broken = config::check_redirect_uri(uri)) {
      return std::unexpected(MetadataError{"invalid_redirect_uri", "'" + uri + "' " + *broken});
    }
  }
  if (const json::value* method = metadata.if_contains("token_endpoint_auth_method")) {
    if (!method->is_string()) {
      return std::unexpected(invalid_metadata("\"token_endpoint_auth_method\" must be a string"));
    }
    read.token_endpoint_auth_method = std::string(method->get_string());
    if (read.token_endpoint_auth_method != "client_secret_basic" &&
        read.token_endpoint_auth_method != "client_secret_post" && !read.public_client()) {
      return std::unexpected(invalid_metadata(
          "token_endpoint_auth_method '" + read.token_endpoint_auth_method +
          "' is not offered to registered clients (client_secret_basic, client_secret_post, "
          "none)"));
    }
  }
  read.grant_types = grant_types->empty() ? std::vector<std::string>{"authorization_code"}
                                          : std::move(*grant_types);
  read.response_types = metadata.contains("response_types") ? std::move(*response_types)
                                                            : response_types_of(read.grant_types);
  if (auto refused = check_grants(read, policy)) return std::unexpected(*refused);
  if (const json::value* scope = metadata.if_contains("scope")) {
    if (!scope->is_string() || scope->get_string().size() > longest_text) {
      return std::unexpected(invalid_metadata("\"scope\" must be a space-separated string"));
    }
    for (const std::string& name : split_scope(scope->get_string())) {
      if (name == "openid" && contains(read.grant_types, "authorization_code")) continue;
      if (!contains(policy.scopes, name)) {
        return std::unexpected(
            invalid_metadata("scope '" + name + "' is not open to registered clients"));
      }
      read.scopes.push_back(name);
    }
  }
  if (auto refused = read_descriptive(metadata, read)) return std::unexpected(*refused);
  return read;
}

std::string kept_metadata(const ClientMetadata& metadata) {
  json::object kept = metadata.descriptive;
  kept["token_endpoint_auth_method"] = metadata.token_endpoint_auth_method;
  kept["response_types"] = json::value_from(metadata.response_types);
  return json::serialize(kept);
}

std::string registered_auth_method(const Client& client) {
  const json::object kept = kept_object(client);
  const json::value* method = kept.if_contains("token_endpoint_auth_method");
  return method && method->is_string() ? std::string(method->get_string()) : std::string();
}

json::object registration_json(const Client& client, std::string_view secret,
                               std::string_view registration_token,
                               std::string_view registration_client_uri) {
  json::object answer = kept_object(client);
  answer["client_id"] = client.client_id;
  if (client.self_registration) answer["client_id_issued_at"] = client.self_registration->issued_at;
  if (!secret.empty()) answer["client_secret"] = secret;
  if (!client.public_client) answer["client_secret_expires_at"] = 0;  // never
  if (!registration_token.empty()) answer["registration_access_token"] = registration_token;
  answer["registration_client_uri"] = registration_client_uri;
  answer["grant_types"] = json::value_from(client.grant_types);
  answer["redirect_uris"] = json::value_from(client.redirect_uris);
  if (!client.scopes.empty()) answer["scope"] = join_scope(client.scopes);
  return answer;
}

}  // namespace gatehouse::keymanager
