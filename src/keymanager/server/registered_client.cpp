#include "keymanager/server/registered_client.h"

#include <ranges>
#include <string_view>
#include <vector>

#include "config/oauth2_server_model.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::keymanager {
namespace {

std::string space_joined(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : " ") + item;
  return joined;
}

std::vector<std::string> space_split(std::string_view joined) {
  std::vector<std::string> items;
  for (auto part : joined | std::views::split(' ')) {
    if (!part.empty()) items.emplace_back(part.begin(), part.end());
  }
  return items;
}

}  // namespace

std::string_view access_token_format_name(AccessTokenFormat format) {
  return format == AccessTokenFormat::opaque ? "opaque" : "jwt";
}

ClientRecord record_of(const Client& client, UnixSeconds created_at) {
  return ClientRecord{
      .client_id = client.client_id,
      .application_id = client.application_id,
      .key_type = std::string(tokens::key_type_label(client.key_type)),
      .secret_hash = client.secret_hash,
      .grant_types = space_joined(client.grant_types),
      .scopes = space_joined(client.scopes),
      .redirect_uris = space_joined(client.redirect_uris),
      .access_token_format = std::string(access_token_format_name(client.access_token_format)),
      .access_token_lifetime = client.access_token_lifetime.count(),
      .refresh_token_lifetime = client.refresh_token_lifetime.count(),
      .created_at = client.self_registration ? client.self_registration->issued_at : created_at,
      .public_client = client.public_client,
      .registration_token_hash =
          client.self_registration ? client.self_registration->token_hash : std::string(),
      .registration_metadata =
          client.self_registration ? client.self_registration->metadata : std::string(),
  };
}

std::expected<Client, std::string> client_of(const ClientRecord& record) {
  const std::string name = "registered client '" + record.client_id + "'";
  const auto key_type = tokens::parse_key_type_label(record.key_type);
  if (!key_type) return std::unexpected(name + " has an unknown key type");
  if (record.access_token_format != "jwt" && record.access_token_format != "opaque") {
    return std::unexpected(name + " has an unknown access token format");
  }
  Client client;
  client.client_id = record.client_id;
  client.secret_hash = record.secret_hash;
  client.grant_types = space_split(record.grant_types);
  client.scopes = space_split(record.scopes);
  client.redirect_uris = space_split(record.redirect_uris);
  client.access_token_lifetime = std::chrono::seconds(record.access_token_lifetime);
  client.refresh_token_lifetime = std::chrono::seconds(record.refresh_token_lifetime);
  client.access_token_format =
      record.access_token_format == "opaque" ? AccessTokenFormat::opaque : AccessTokenFormat::jwt;
  client.application_id = record.application_id;
  client.key_type = *key_type;
  client.public_client = record.public_client;
  if (!record.registration_token_hash.empty()) {
    client.self_registration = SelfRegistration{.token_hash = record.registration_token_hash,
                                                .metadata = record.registration_metadata,
                                                .issued_at = record.created_at};
  }
  return client;
}

security::IssuedKey issued_key_of(const Client& client) {
  return {client.application_id,
          {std::string(config::resident_key_manager), client.client_id, client.key_type}};
}

}  // namespace gatehouse::keymanager
