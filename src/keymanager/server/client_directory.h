// The clients of the key manager by client_id, checked once when built and read-only after: every
// worker looks clients up at once without a lock.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/client.h"

namespace gatehouse::keymanager {

class ClientDirectory {
 public:
  // Refuses an empty or repeated client_id, a confidential client without a well-formed
  // "sha256:<hex>" secret hash, a public client with one, and a private_key_jwt client with a
  // secret, public, or without a key; the message names the client.
  static std::expected<ClientDirectory, std::string> build(std::vector<Client> clients);

  // nullptr when no client has this id.
  const Client* find(std::string_view client_id) const;

 private:
  std::map<std::string, Client, std::less<>> clients_;
};

}  // namespace gatehouse::keymanager
