// What a listening socket is given: its address and its TLS settings, as plain data. net owns
// these types and config/model.h fills them from the YAML, so that net needs nothing of config.
#pragma once

#include <cstdint>
#include <string>

namespace gatehouse::net {

struct HostPort {
  std::string host;  // literal address or name; "0.0.0.0", "::", "127.0.0.1", "localhost"
  uint16_t port = 0;
};

enum class ClientAuth { none, optional, required };

struct TlsServerConfig {
  std::string cert_file;       // PEM chain
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // empty: no client certificates requested
  ClientAuth client_auth = ClientAuth::none;
};

}  // namespace gatehouse::net
