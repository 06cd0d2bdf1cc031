// OpenSSL 3 contexts: one server context per TLS listener (shared by all workers; SSL_CTX is
// thread-safe for handshakes) and one client context per group of https backends.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "net/listener_config.h"

namespace gatehouse::net {

// Certificates and keys are read now, so a bad file is a config error, not a failed handshake.
// TLS 1.2 and 1.3 with Mozilla's "intermediate" cipher profile (tls.cpp).
std::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_server_tls(
    const TlsServerConfig& config);

// Verifies backends against `ca_file`, or the system trust store when it is empty.
std::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_client_tls(
    const std::string& ca_file, bool verify);

// The client certificate's subject and issuer (RFC 2253) and the certificate itself (DER), for
// per-API trust; all empty if there is none. On an optional_no_ca listener it may be one no CA
// verified: `verified` tells.
struct PeerCertificate {
  bool verified = false;
  std::string subject;
  std::string issuer;
  std::string der;
};
PeerCertificate peer_certificate(SSL* ssl);

// A distinguished name as RFC 2253 text.
std::string x509_name_text(X509_NAME* name);

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
// A DER certificate (PeerCertificate::der) parsed; null for bytes that are no certificate.
X509Ptr parse_der_certificate(std::string_view der);

// A certificate's DER from its base64 (standard alphabet, the final padding optional), as a JWK's
// x5c or a proxy's header carries it; empty when the text is not one certificate.
std::string certificate_der_from_base64(std::string_view text);

}  // namespace gatehouse::net
