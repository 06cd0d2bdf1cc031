// The gateway's side of certificate-bound tokens (RFC 8705 section 3): the cnf claim read into the
// principal, and the connection's certificate compared with it.
#include "security/auth/certificate_binding.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "security/jose/certificate_thumbprint.h"
#include "security/jose/sha256.h"

namespace gatehouse::security {
namespace {

std::string sha256_of(std::string_view der) {
  const auto digest = jose::sha256(der);
  return std::string(digest.begin(), digest.end());
}

Principal bound_to(std::string_view der) {
  Principal principal;
  principal.certificate_sha256 = sha256_of(der);
  return principal;
}

TEST(CertificateBindingTest, ReadsTheDigestOfCnfsThumbprint) {
  boost::json::object claims{{"sub", "a"}};
  claims["cnf"] = boost::json::object{{"x5t#S256", jose::certificate_thumbprint("client DER")}};
  EXPECT_EQ(bound_certificate(claims).value(), sha256_of("client DER"));
}

TEST(CertificateBindingTest, ATokenWithoutCnfIsABearerToken) {
  EXPECT_EQ(bound_certificate(boost::json::parse(R"({"sub":"a"})").as_object()).value(), "");
}

TEST(CertificateBindingTest, AConfirmationMethodItCannotCheckIsRefused) {
  // Another method, no object, no string, nothing, and a thumbprint of the wrong size or alphabet.
  for (const char* claims :
       {R"({"cnf":{"jkt":"x"}})", R"({"cnf":"x"})", R"({"cnf":{"x5t#S256":7}})",
        R"({"cnf":{"x5t#S256":""}})", R"({"cnf":{"x5t#S256":"abc"}})",
        R"({"cnf":{"x5t#S256":"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"}})"}) {
    const auto bound = bound_certificate(boost::json::parse(claims).as_object());
    ASSERT_FALSE(bound) << claims;
    EXPECT_EQ(bound.error().failure, AuthFailure::invalid_credentials);
  }
}

TEST(CertificateBindingTest, TheBoundCertificateIsAccepted) {
  EXPECT_FALSE(certificate_binding_refusal(bound_to("client DER"), "client DER"));
}

TEST(CertificateBindingTest, AnotherCertificateIsRefused) {
  const auto refusal = certificate_binding_refusal(bound_to("client DER"), "thief DER");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->failure, AuthFailure::invalid_credentials);
}

TEST(CertificateBindingTest, NoCertificateIsRefused) {
  const auto refusal = certificate_binding_refusal(bound_to("client DER"), "");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->failure, AuthFailure::invalid_credentials);
}

TEST(CertificateBindingTest, AnUnboundTokenNeedsNoCertificate) {
  EXPECT_FALSE(certificate_binding_refusal(Principal{}, ""));
  EXPECT_FALSE(certificate_binding_refusal(Principal{}, "any DER"));
}

}  // namespace
}  // namespace gatehouse::security
