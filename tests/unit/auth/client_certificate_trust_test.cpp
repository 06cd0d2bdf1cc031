#include "security/auth/client_certificate_trust.h"

#include <gtest/gtest.h>

#include <boost/beast/core/detail/base64.hpp>

#include <string>
#include <string_view>

namespace gatehouse::security {
namespace {

namespace base64 = boost::beast::detail::base64;

// A self-signed EC certificate (openssl req -x509), as DER once read.
constexpr std::string_view certificate_pem = R"(-----BEGIN CERTIFICATE-----
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

ClientCertificateTrust behind_proxy() {
  config::MutualTlsConfig config;
  config.trusted_proxies = {"10.0.0.0/8"};
  auto trust = ClientCertificateTrust::create(config);
  EXPECT_TRUE(trust) << trust.error();
  return std::move(*trust);
}

std::string base64_of(std::string_view bytes) {
  std::string text(base64::encoded_size(bytes.size()), '\0');
  text.resize(base64::encode(text.data(), bytes.data(), bytes.size()));
  return text;
}

// The PEM URL-encoded as a proxy puts it in a header ('+' would read as a space).
std::string escaped_pem() {
  std::string escaped;
  for (char c : certificate_pem) {
    escaped += c == '\n' ? std::string("%0A") : c == '+' ? std::string("%2B") : std::string(1, c);
  }
  return escaped;
}

TEST(ClientCertificateHeader, APemFromATrustedProxyIsReadAndOneFromAnyoneElseIgnored) {
  const ClientCertificateTrust trust = behind_proxy();
  const std::string escaped = escaped_pem();
  const std::string der = trust.from_header("10.1.2.3", escaped);
  ASSERT_FALSE(der.empty());
  EXPECT_EQ(trust.from_header("10.1.2.3", base64_of(der)), der);
  EXPECT_EQ(trust.from_header("192.0.2.1", escaped), "");
}

// Base64 without its padding: the decoder once wrote up to two bytes past its buffer (found by
// fuzz_client_certificate under ASan), and the certificate came out cut.
TEST(ClientCertificateHeader, Base64DerWithoutPaddingIsReadWhole) {
  const ClientCertificateTrust trust = behind_proxy();
  const std::string der = trust.from_header("10.1.2.3", escaped_pem());
  std::string unpadded = base64_of(der);
  ASSERT_TRUE(unpadded.ends_with('=')) << "the fixture's base64 must end in padding";
  while (unpadded.back() == '=') unpadded.pop_back();
  ASSERT_NE(unpadded.size() % 4, 0u);
  EXPECT_EQ(trust.from_header("10.1.2.3", unpadded), der);
}

}  // namespace
}  // namespace gatehouse::security
