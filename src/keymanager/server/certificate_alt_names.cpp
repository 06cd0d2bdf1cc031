#include "keymanager/server/certificate_alt_names.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>
#include <string>

#include "net/tls.h"

namespace gatehouse::keymanager {

namespace {

std::optional<CertificateNameType> type_of(int general_name_type) {
  switch (general_name_type) {
    case GEN_DNS:
      return CertificateNameType::san_dns;
    case GEN_URI:
      return CertificateNameType::san_uri;
    case GEN_IPADD:
      return CertificateNameType::san_ip;
    case GEN_EMAIL:
      return CertificateNameType::san_email;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<CertificateName> certificate_alt_names(std::string_view der) {
  const net::X509Ptr certificate = net::parse_der_certificate(der);
  // OpenSSL's error queue is per thread: bytes it refused must not leave entries that a later,
  // unrelated TLS call on this thread would report as its own.
  ERR_clear_error();
  if (!certificate) return {};
  const std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(
      static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(certificate.get(), NID_subject_alt_name, nullptr, nullptr)),
      &GENERAL_NAMES_free);
  ERR_clear_error();
  std::vector<CertificateName> found;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    // dNSName, URI and rfc822Name are IA5Strings, iPAddress an OCTET STRING: all ASN1_STRINGs.
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(name, &type));
    const std::optional<CertificateNameType> kind = type_of(type);
    if (!kind || value == nullptr) continue;
    found.push_back(CertificateName{
        .type = *kind,
        .value = std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                             static_cast<size_t>(ASN1_STRING_length(value)))});
  }
  return found;
}

}  // namespace gatehouse::keymanager
