#include "keymanager/server/client_directory.h"

#include "keymanager/server/client_secret.h"

namespace gatehouse::keymanager {

std::expected<ClientDirectory, std::string> ClientDirectory::build(std::vector<Client> clients) {
  ClientDirectory directory;
  for (Client& client : clients) {
    if (client.client_id.empty()) return std::unexpected("a client has an empty client_id");
    const std::string name = "client '" + client.client_id + "'";
    if (client.public_client && !client.secret_hash.empty()) {
      return std::unexpected(name + " is public but has a secret");
    }
    if (!client.tls_client_auth_subject_dn.empty()) {
      if (client.public_client || !client.secret_hash.empty() || client.assertion_keys) {
        return std::unexpected(name +
                               " authenticates by tls_client_auth: no secret, no key, not public");
      }
    } else if (client.assertion_keys) {
      if (client.public_client || !client.secret_hash.empty()) {
        return std::unexpected(name + " authenticates by private_key_jwt: no secret, not public");
      }
      if (client.assertion_keys->keys().empty()) {
        return std::unexpected(name + " has no public key for private_key_jwt");
      }
    } else if (!client.public_client && !is_client_secret_hash(client.secret_hash)) {
      return std::unexpected(name + " needs a secret hash \"sha256:<64 hex digits>\"");
    }
    std::string id = client.client_id;
    if (!directory.clients_.emplace(std::move(id), std::move(client)).second) {
      return std::unexpected(name + " is declared twice");
    }
  }
  return directory;
}

const Client* ClientDirectory::find(std::string_view client_id) const {
  const auto found = clients_.find(client_id);
  return found == clients_.end() ? nullptr : &found->second;
}

}  // namespace gatehouse::keymanager
