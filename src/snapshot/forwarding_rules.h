// What of a client's request never reaches a backend, beyond the hop-by-hop fields: the fields a
// backend would take for the gateway's word, and the caller's credentials on a secured API.
// Compiled once per snapshot and API, so that the head writer compares a name only when a
// configured name has its length. The same rules decide which trailer fields go on.
//
// Always removed, on every API and resource (see http::HeaderRole::gateway_only for the fixed
// names): every backend JWT header any API configures and every client-certificate header any
// API trusts from a proxy, with their defaults (X-JWT-Assertion, X-WSO2-CLIENT-CERTIFICATE).
// Names of every API, not only the one called: one backend may serve several APIs.
//
// The credentials of a secured API: Authorization (unless its backend_jwt keeps it), the API key
// header and the API key query parameter, on every resource, `auth: none` ones included. The
// backend learns who called from the backend JWT, not from the caller's credentials. An open API
// (no `security`) removes no credentials: it is a pass-through, and its backend may authenticate
// callers itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"

namespace gatehouse::snapshot {

// Header names, ASCII case-insensitive. A name is compared only with set members of its length,
// which a bit per length finds: most fields of a request cost one bit test.
class HeaderNameSet {
 public:
  void add(std::string_view name);
  bool contains(std::string_view name) const {
    return (lengths_ & length_bit(name.size())) != 0 && contains_slow(name);
  }

 private:
  static uint64_t length_bit(size_t length) { return uint64_t{1} << (length < 63 ? length : 63); }
  bool contains_slow(std::string_view name) const;

  uint64_t lengths_ = 0;
  std::vector<std::string> names_;
};

struct ForwardingRules {
  HeaderNameSet stripped;            // received fields never forwarded (configured names)
  bool strip_authorization = false;  // Authorization of a secured API
  std::string stripped_query_param;  // the API key parameter of a secured API; empty: none
};

// The rules of each API of `config`, in its order.
std::vector<ForwardingRules> compile_forwarding_rules(const config::Config& config);

}  // namespace gatehouse::snapshot
