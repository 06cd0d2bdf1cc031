#include "keymanager/server/client_directory.h"

#include <algorithm>
#include <optional>

#include "keymanager/server/client_secret.h"

namespace gatehouse::keymanager {
namespace {

// Why `client` cannot be served as written, or nothing.
std::optional<std::string> client_problem(const Client& client) {
  if (client.client_id.empty()) return "a client has an empty client_id";
  const std::string name = "client '" + client.client_id + "'";
  if (client.public_client && !client.secret_hash.empty())
    return name + " is public but has a secret";
  if (client.tls_client_auth) {
    if (client.public_client || !client.secret_hash.empty() || client.assertion_keys ||
        !client.self_signed_thumbprints.empty()) {
      return name + " authenticates by tls_client_auth: no secret, no key, not public";
    }
    if (client.tls_client_auth->value.empty()) {
      return name + " has no certificate name for tls_client_auth";
    }
  } else if (!client.self_signed_thumbprints.empty()) {
    if (client.public_client || !client.secret_hash.empty() || client.assertion_keys) {
      return name + " authenticates by self_signed_tls_client_auth: no secret, no key, not public";
    }
  } else if (client.assertion_keys) {
    if (client.public_client || !client.secret_hash.empty()) {
      return name + " authenticates by private_key_jwt: no secret, not public";
    }
    if (client.assertion_keys->keys().empty()) {
      return name + " has no public key for private_key_jwt";
    }
  } else if (!client.public_client && !is_client_secret_hash(client.secret_hash)) {
    return name + " needs a secret hash \"sha256:<64 hex digits>\"";
  }
  return std::nullopt;
}

}  // namespace

std::expected<ClientDirectory, std::string> ClientDirectory::build(std::vector<Client> clients) {
  ClientDirectory directory;
  for (Client& client : clients) {
    if (auto problem = client_problem(client)) return std::unexpected(std::move(*problem));
    const std::string id = client.client_id;
    if (directory.clients_.contains(id)) {
      return std::unexpected("client '" + id + "' is declared twice");
    }
    directory.clients_.emplace(id, std::make_shared<const Client>(std::move(client)));
  }
  return directory;
}

std::expected<ClientDirectory, std::string> ClientDirectory::with(Client client) const {
  if (auto problem = client_problem(client)) return std::unexpected(std::move(*problem));
  ClientDirectory changed = *this;
  std::string id = client.client_id;
  changed.clients_[std::move(id)] = std::make_shared<const Client>(std::move(client));
  return changed;
}

ClientDirectory ClientDirectory::without(std::string_view client_id) const {
  ClientDirectory changed = *this;
  if (const auto found = changed.clients_.find(client_id); found != changed.clients_.end()) {
    changed.clients_.erase(found);
  }
  return changed;
}

ClientPtr ClientDirectory::find(std::string_view client_id) const {
  const auto found = clients_.find(client_id);
  return found == clients_.end() ? nullptr : found->second;
}

ClientPtr ClientDirectory::find_key(std::string_view application_id,
                                    identity::KeyType key_type) const {
  const auto found = std::ranges::find_if(clients_, [&](const auto& entry) {
    return entry.second->application_id == application_id && entry.second->key_type == key_type;
  });
  return found == clients_.end() ? nullptr : found->second;
}

}  // namespace gatehouse::keymanager
