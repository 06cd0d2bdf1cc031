// The jtis of access tokens revoked before they expire, as introspection must know them. Loaded
// from the store at start (GrantStore::revocations) and added to by the revocation endpoint; each
// is dropped once its token has expired anyway.
//
// Read by introspection on any worker: a mutex guards it. Introspection and revocation are calls
// to the key manager, not the gateway's path for every API call (that checks its own per-worker
// security::Revocations), and the critical sections are one hash probe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "keymanager/store/grant_store.h"

namespace gatehouse::keymanager {

class RevokedAccessTokens {
 public:
  void add(std::string jti, UnixSeconds expires_at);
  void add(const std::vector<RevocationRecord>& records);
  // Also drops the entries that expired by `now` once in a while.
  bool contains(std::string_view jti, UnixSeconds now);

 private:
  struct Hash : std::hash<std::string_view> {
    using is_transparent = void;
  };

  void purge(UnixSeconds now);

  std::mutex mutex_;
  std::unordered_map<std::string, UnixSeconds, Hash, std::equal_to<>> expiry_by_jti_;
  UnixSeconds next_purge_ = 0;
};

}  // namespace gatehouse::keymanager
