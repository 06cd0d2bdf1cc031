// Which client certificates an API trusts for mutual TLS: those issued by its CA (the chain is
// verified), or exactly the certificates it lists (pinned). The certificate comes from the TLS
// connection, or, behind a TLS-terminating load balancer, from a header that only the configured
// proxy addresses may set (WSO2's X-WSO2-CLIENT-CERTIFICATE: a URL-encoded PEM or base64 DER).
// Immutable; shared by every worker.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/security_model.h"
#include "security/identity/ip_matcher.h"

struct x509_store_st;

namespace gatehouse::security {

struct TrustedCertificate {
  std::string subject;  // RFC 2253
};

class ClientCertificateTrust {
 public:
  static std::expected<ClientCertificateTrust, std::string> create(
      const config::MutualTlsConfig& config);

  // The certificate (DER) if this API trusts it; the reason otherwise.
  std::expected<TrustedCertificate, std::string> check(std::string_view der) const;

  // The certificate a trusted proxy put in the header, as DER; empty when the header is absent,
  // the peer is no trusted proxy, or the value is not a certificate.
  std::string from_header(std::string_view client_address, std::string_view value) const;
  const std::string& header() const { return header_; }

 private:
  ClientCertificateTrust() = default;

  std::shared_ptr<x509_store_st> store_;  // null: only pinned certificates are trusted
  std::vector<std::string> pinned_;       // DER
  std::string header_;
  identity::IpMatcher trusted_proxies_;
};

}  // namespace gatehouse::security
