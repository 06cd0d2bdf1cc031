#include "security/jose/certificate_thumbprint.h"

#include <gtest/gtest.h>

namespace gatehouse::jose {
namespace {

TEST(CertificateThumbprintTest, IsTheUnpaddedBase64urlOfTheSha256OfTheDer) {
  // SHA-256("abc") of FIPS 180-2, in base64url without padding.
  EXPECT_EQ(certificate_thumbprint("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
}

TEST(CertificateThumbprintTest, NoCertificateHasNoThumbprint) {
  EXPECT_EQ(certificate_thumbprint(""), "");
}

}  // namespace
}  // namespace gatehouse::jose
