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

// Whether a TLS listener asks for client certificates, and what it makes of them:
//   none            asks for none
//   optional        asks; a certificate the client CA does not verify fails the handshake
//   required        the same, and a client without one fails it too
//   optional_no_ca  asks, and takes any certificate, self-signed too, without failing the
//                   handshake; one the client CA (if any) verifies is marked verified
//                   (PeerCertificate). For checks that do not rest on a CA: self-signed
//                   tls_client_auth (RFC 8705 section 2.2), certificate-bound tokens, an API's
//                   own trust (mutual TLS).
enum class ClientAuth { none, optional, required, optional_no_ca };

struct TlsServerConfig {
  std::string cert_file;       // PEM chain
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // empty: no CA verifies client certificates
  ClientAuth client_auth = ClientAuth::none;

  // Whether a client certificate can come out verified against client_ca_file.
  bool verifies_client_certificates() const {
    return client_auth != ClientAuth::none && !client_ca_file.empty();
  }
};

}  // namespace gatehouse::net
