// libFuzzer target: the client-certificate header (X-WSO2-CLIENT-CERTIFICATE) as a
// TLS-terminating proxy sets it, read the way the auth policy reads it: from_header for the
// peer's address, then check() against an API's CA and pinned certificate.
// Input: [peer] value...; peer bits 0-1 pick the peer's address, three of the four within the
// trusted proxies.
//
// Checked: the header counts only from a trusted proxy; what it yields is a certificate OpenSSL
// reads; that certificate, sent again as nginx sends it (URL-encoded PEM) or as base64 DER, yields
// itself; and check() names the certificate's own subject when it trusts it.
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <boost/beast/core/detail/base64.hpp>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "net/tls.h"
#include "security/auth/client_certificate_trust.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

// Made once with openssl req/x509 (EC P-256, valid for 100 years): a CA, a client certificate it
// issued, and a self-signed certificate an API pins.
constexpr std::string_view ca_pem = R"(
-----BEGIN CERTIFICATE-----
MIIBiTCCAS+gAwIBAgIUBTzofEKu4lsO6lvUSgI4gLgKFMkwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwORnV6eiBDbGllbnQgQ0EwIBcNMjYxMjA0MTgzMTI1WhgPMjEy
NjExMTAxODMxMjVaMBkxFzAVBgNVBAMMDkZ1enogQ2xpZW50IENBMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEuc2n8IcdpXytr81V36dJlNRN1/46OTwFJsKx93k0
gk6kISICzYiL+wTNHlqcWBHMitpvRhArNp1DIacxCcvcYaNTMFEwHQYDVR0OBBYE
FDPDxrsKakSzzS64Uu9m1ibHIjsEMB8GA1UdIwQYMBaAFDPDxrsKakSzzS64Uu9m
1ibHIjsEMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgF6RozmBu
EeQ/AqjM2a40ALAwhnowpYQe9xGSIiT5o+sCIQDyMCJEcq1OFbiWQ/hjhGUXvFey
dXF/l5jNDTtyyGRAwQ==
-----END CERTIFICATE-----
)";
constexpr std::string_view issued_pem = R"(
-----BEGIN CERTIFICATE-----
MIIBOzCB4gIUaFkV7ZU2f0M3XoJ+dh7i70fd4BUwCgYIKoZIzj0EAwIwGTEXMBUG
A1UEAwwORnV6eiBDbGllbnQgQ0EwIBcNMjYxMjA0MTgzMTI2WhgPMjEyNjExMTAx
ODMxMjZaMCYxFTATBgNVBAMMDHBhcnRuZXIudGVzdDENMAsGA1UECgwERnV6ejBZ
MBMGByqGSM49AgEGCCqGSM49AwEHA0IABGNM9oVjM64VYlrYDlfcWkkTwkHNtV1u
yAnRMM/livgreSZExNrFUx4CJw0iPPvDWKjdMwb4N1KvkMq1fqOj/dwwCgYIKoZI
zj0EAwIDSAAwRQIgZU4cCADe5qKToy1XXvqBgfc44wr5+MzJjCy3+QrP/0cCIQCH
NgudPrxeOt4Db7xz/cVc2jzz1lIXXmXzcvWgCN1Kvg==
-----END CERTIFICATE-----
)";
constexpr std::string_view pinned_pem = R"(
-----BEGIN CERTIFICATE-----
MIIBgzCCASmgAwIBAgIUFR4I9Uz31j/3WpouXh+wmrSJNR0wCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcGlubmVkLnRlc3QwIBcNMjYxMjA0MTgzMTI2WhgPMjEyNjEx
MTAxODMxMjZaMBYxFDASBgNVBAMMC3Bpbm5lZC50ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEjoc7jW/cEn4YsCuQ+ne6+MXJLFFyohyY1qoc0a3W67GgLgXX
yW8/hAirQQ7h/bVdEiN1yG5xyq6ccweFqkJSYKNTMFEwHQYDVR0OBBYEFCVxozHY
K5fm9clMQD5eUhYcwuMLMB8GA1UdIwQYMBaAFCVxozHYK5fm9clMQD5eUhYcwuML
MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgEwC4aUOIYlyxUvki
T3oE8XtkDAC7mx4x20U4vkmSfMACIQD4y9rqUPZttnXo67Z+ABlf7fUZKqpC3j7M
uZOPZdEBLg==
-----END CERTIFICATE-----
)";

constexpr std::string_view peers[] = {"10.1.2.3", "::ffff:10.1.2.3", "2001:db8::5", "192.0.2.1"};
constexpr size_t untrusted_peer = 3;

std::string write_file(const std::string& dir, const char* name, std::string_view text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const security::ClientCertificateTrust& trust() {
  static const security::ClientCertificateTrust made = [] {
    char pattern[] = "/tmp/gatehouse-fuzz-certificates-XXXXXX";
    require(mkdtemp(pattern) != nullptr, "a temporary directory");
    config::MutualTlsConfig config;
    config.ca_file = write_file(pattern, "ca.pem", ca_pem);
    config.certificates = {write_file(pattern, "pinned.pem", pinned_pem)};
    config.trusted_proxies = {"10.0.0.0/8", "2001:db8::/32"};
    auto trust = security::ClientCertificateTrust::create(config);
    require(trust.has_value(), "the fixed trust is made");
    return std::move(*trust);
  }();
  return made;
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr read_der(std::string_view der) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &bytes, static_cast<long>(der.size())), &X509_free);
}

std::string to_der(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  require(length > 0, "a certificate read can be written");
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

// As nginx's $ssl_client_escaped_cert: PEM with every byte outside [A-Za-z0-9-_.~] escaped.
std::string escaped_pem(X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  require(PEM_write_bio_X509(bio.get(), certificate) == 1, "a certificate read can be PEM");
  char* text = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &text);
  std::string escaped;
  for (const char c : std::string_view(text, static_cast<size_t>(length))) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      escaped.push_back(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      escaped.append(hex);
    }
  }
  return escaped;
}

std::string base64_of(std::string_view bytes) {
  namespace base64 = boost::beast::detail::base64;
  std::string text(base64::encoded_size(bytes.size()), '\0');
  text.resize(base64::encode(text.data(), bytes.data(), bytes.size()));
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t peer = data[0] % 4;
  const std::string value(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string der = trust().from_header(peers[peer], value);
  if (peer == untrusted_peer) {
    require(der.empty(), "only a trusted proxy may name the client certificate");
  }
  if (der.empty()) return 0;
  const X509Ptr certificate = read_der(der);
  require(certificate != nullptr, "what the header yields is a certificate");

  const std::string canonical = to_der(certificate.get());
  require(trust().from_header(peers[peer], escaped_pem(certificate.get())) == canonical,
          "the certificate sent as URL-encoded PEM yields itself");
  require(trust().from_header(peers[peer], base64_of(canonical)) == canonical,
          "the certificate sent as base64 DER yields itself");
  require(trust().from_header(peers[untrusted_peer], base64_of(canonical)).empty(),
          "and from an untrusted peer nothing");

  const auto verdict = trust().check(der);
  if (verdict) {
    require(verdict->subject == net::x509_name_text(X509_get_subject_name(certificate.get())),
            "a trusted certificate is named by its own subject");
  } else {
    require(verdict.error() != "the client certificate cannot be read",
            "a certificate the header yields can be read");
  }
  return 0;
}
