#include "security/auth/client_certificate_trust.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "net/tls.h"

namespace gatehouse::security {
namespace {

using net::X509Ptr;

std::string to_der(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  if (length <= 0) return {};
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

std::string pem_to_der(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  return certificate ? to_der(certificate.get()) : std::string();
}

// URL-encoded as a form value ('+' for a space), which is how WSO2's load balancer recipes send it.
std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        decoded.push_back(static_cast<char>(value));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i] == '+' ? ' ' : text[i]);
  }
  return decoded;
}

std::expected<std::string, std::string> read_certificate_der(const std::string& path) {
  std::unique_ptr<FILE, decltype(&fclose)> file(fopen(path.c_str(), "rb"), &fclose);
  if (!file) return std::unexpected("cannot read " + path);
  X509Ptr certificate(PEM_read_X509(file.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!certificate) return std::unexpected(path + " holds no PEM certificate");
  return to_der(certificate.get());
}

}  // namespace

std::expected<ClientCertificateTrust, std::string> ClientCertificateTrust::create(
    const config::MutualTlsConfig& config) {
  ClientCertificateTrust trust;
  trust.header_ = config.header;
  if (!config.ca_file.empty()) {
    trust.store_.reset(X509_STORE_new(), &X509_STORE_free);
    if (X509_STORE_load_file(trust.store_.get(), config.ca_file.c_str()) != 1) {
      return std::unexpected("mutual_tls: cannot load the CA file " + config.ca_file);
    }
  }
  for (const std::string& path : config.certificates) {
    auto der = read_certificate_der(path);
    if (!der) return std::unexpected("mutual_tls: " + der.error());
    trust.pinned_.push_back(std::move(*der));
  }
  auto proxies = identity::IpMatcher::parse(config.trusted_proxies);
  if (!proxies) {
    return std::unexpected("mutual_tls: trusted_proxies entry " +
                           std::to_string(proxies.error().entry + 1) + ": " +
                           proxies.error().message);
  }
  trust.trusted_proxies_ = std::move(*proxies);
  return trust;
}

std::expected<TrustedCertificate, std::string> ClientCertificateTrust::check(
    std::string_view der) const {
  X509Ptr certificate = net::parse_der_certificate(der);
  if (!certificate) return std::unexpected("the client certificate cannot be read");
  const TrustedCertificate trusted{net::x509_name_text(X509_get_subject_name(certificate.get()))};
  for (const std::string& pinned : pinned_) {
    if (pinned == der) return trusted;
  }
  if (store_) {
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                            &X509_STORE_CTX_free);
    if (context &&
        X509_STORE_CTX_init(context.get(), store_.get(), certificate.get(), nullptr) == 1 &&
        X509_verify_cert(context.get()) == 1) {
      return trusted;
    }
  }
  return std::unexpected("the client certificate is not trusted by this API");
}

std::string ClientCertificateTrust::from_header(std::string_view client_address,
                                                std::string_view value) const {
  if (value.empty() || trusted_proxies_.empty() || !trusted_proxies_.matches(client_address)) {
    return {};
  }
  const std::string decoded =
      value.find('%') != std::string_view::npos ? percent_decode(value) : std::string(value);
  if (decoded.find("-----BEGIN CERTIFICATE-----") != std::string::npos) return pem_to_der(decoded);
  return net::certificate_der_from_base64(decoded);
}

}  // namespace gatehouse::security
