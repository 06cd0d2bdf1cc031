// The clients of the key manager by client_id, checked when built and immutable after: every
// worker looks clients up at once without a lock. A change (a key generated through the admin
// listener) builds a new directory that shares the unchanged clients, and ServerContext swaps it
// in whole; a request keeps the client it found for as long as it needs it.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/client.h"

namespace gatehouse::keymanager {

using ClientPtr = std::shared_ptr<const Client>;

class ClientDirectory {
 public:
  using ById = std::map<std::string, ClientPtr, std::less<>>;

  // Refuses an empty or repeated client_id, a confidential client without a well-formed
  // "sha256:<hex>" secret hash, a public client with one, and a private_key_jwt client with a
  // secret, public, or without a key; the message names the client.
  static std::expected<ClientDirectory, std::string> build(std::vector<Client> clients);

  // This directory with `client` added, or put in place of the one with its id; checked as
  // build() checks each client.
  std::expected<ClientDirectory, std::string> with(Client client) const;
  // This directory without the client of that id.
  ClientDirectory without(std::string_view client_id) const;

  // nullptr when no client has this id.
  ClientPtr find(std::string_view client_id) const;
  // The client of this application and key type, or nullptr.
  ClientPtr find_key(std::string_view application_id, identity::KeyType key_type) const;
  const ById& by_id() const { return clients_; }

 private:
  ById clients_;
};

}  // namespace gatehouse::keymanager
