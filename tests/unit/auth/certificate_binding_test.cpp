// The gateway's side of certificate-bound tokens (RFC 8705 section 3): the cnf claim read into the
// principal, and the connection's certificate compared with it.
#include "security/auth/certificate_binding.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "security/jose/certificate_thumbprint.h"

namespace gatehouse::security {
namespace {

Principal bound_to(std::string_view der) {
  Principal principal;
  principal.certificate_thumbprint = jose::certificate_thumbprint(der);
  return principal;
}

TEST(CertificateBindingTest, ReadsTheThumbprintOfCnf) {
  const auto claims = boost::json::parse(R"({"sub":"a","cnf":{"x5t#S256":"abc-_"}})").as_object();
  EXPECT_EQ(bound_certificate(claims).value(), "abc-_");
}

TEST(CertificateBindingTest, ATokenWithoutCnfIsABearerToken) {
  EXPECT_EQ(bound_certificate(boost::json::parse(R"({"sub":"a"})").as_object()).value(), "");
}

TEST(CertificateBindingTest, AConfirmationMethodItCannotCheckIsRefused) {
  for (const char* claims : {R"({"cnf":{"jkt":"x"}})", R"({"cnf":"x"})",
                             R"({"cnf":{"x5t#S256":7}})", R"({"cnf":{"x5t#S256":""}})"}) {
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
