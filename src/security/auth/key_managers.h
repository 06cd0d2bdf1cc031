// The process's key managers, kept from one snapshot to the next. A reload that leaves a key
// manager's settings as they were gets the same key manager back, with the keys (and the JWKS
// URI from discovery) its workers already fetched: a reload does not refetch them on every
// worker. A key manager no snapshot uses any more is freed with the last one that did.
//
// Used on the control thread only, where snapshots are compiled.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include <absl/container/flat_hash_map.h>

#include "config/security_model.h"
#include "security/auth/key_manager.h"

namespace gatehouse::security {

class KeyManagers {
 public:
  // The key manager for `config` shared by `workers` workers: the one a live snapshot uses, if
  // its settings are the same and its keys come from the network; else a new one. Keys read
  // from a file (and a CA file) are read again: a reload is how an operator rotates them.
  std::expected<std::shared_ptr<KeyManager>, std::string> obtain(
      const config::KeyManagerConfig& config, size_t workers);

  // The built-in key manager's public keys (its key ring's JWKS) and live opaque tokens, which
  // every `resident` key manager checks its tokens with. Set once at start, before the first
  // snapshot is compiled; a rotation swaps the keys inside, not this pointer, and the tokens
  // change inside their table.
  void set_resident(ResidentIssuer resident) { resident_ = std::move(resident); }

 private:
  struct Kept {
    std::weak_ptr<KeyManager> key_manager;
    config::KeyManagerConfig config;
    size_t workers = 0;
  };
  absl::flat_hash_map<std::string, Kept> by_name_;
  ResidentIssuer resident_;
};

}  // namespace gatehouse::security
