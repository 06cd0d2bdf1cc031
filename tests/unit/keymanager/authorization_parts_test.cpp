// The parts of the authorization code flow on their own: PKCE (RFC 7636 Appendix B), at_hash
// (OpenID Connect Core Appendix A), the signed values handed to browsers (tampered, expired,
// another kind), the pending request, the session cookie and HTML escaping.
#include <gtest/gtest.h>

#include "keymanager/server/authorization_page.h"
#include "keymanager/server/hmac_signer.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/login_session.h"
#include "keymanager/server/pending_authorization.h"
#include "keymanager/server/pkce.h"

namespace gatehouse::keymanager::authorization_parts_test {
namespace {

constexpr std::string_view rfc7636_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view rfc7636_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
constexpr UnixSeconds now = 1'700'000'000;

TEST(PkceTest, S256MatchesTheRfcExample) {
  EXPECT_EQ(s256_challenge(rfc7636_verifier), rfc7636_challenge);
  EXPECT_TRUE(verifier_matches(rfc7636_verifier, rfc7636_challenge, "S256"));
  EXPECT_FALSE(verifier_matches(rfc7636_verifier, rfc7636_challenge, "plain"));
  EXPECT_FALSE(verifier_matches(rfc7636_challenge, rfc7636_challenge, "S256"));
}

TEST(PkceTest, PlainComparesTheVerifierItself) {
  EXPECT_TRUE(verifier_matches(rfc7636_verifier, rfc7636_verifier, "plain"));
  EXPECT_FALSE(verifier_matches(rfc7636_verifier, rfc7636_verifier, "S512"));
}

TEST(PkceTest, AVerifierIs43To128UnreservedCharacters) {
  EXPECT_TRUE(is_pkce_value(std::string(43, 'a')));
  EXPECT_TRUE(is_pkce_value(std::string(128, '~')));
  EXPECT_TRUE(is_pkce_value("-._~" + std::string(39, 'Z')));
  EXPECT_FALSE(is_pkce_value(std::string(42, 'a')));
  EXPECT_FALSE(is_pkce_value(std::string(129, 'a')));
  EXPECT_FALSE(is_pkce_value(std::string(42, 'a') + "+"));
  EXPECT_FALSE(is_pkce_value(std::string(42, 'a') + "="));
  // A short verifier is refused even when it matches its own plain challenge.
  EXPECT_FALSE(verifier_matches("short", "short", "plain"));
}

TEST(IdTokenPartsTest, AtHashMatchesTheOpenIdConnectExample) {
  EXPECT_EQ(at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ");
}

TEST(IdTokenPartsTest, TheLoginContextKeepsTheAuthTime) {
  EXPECT_EQ(auth_time_of(login_context(1234)), 1234);
  EXPECT_EQ(auth_time_of("{}"), 0);
  EXPECT_EQ(auth_time_of("not json"), 0);
  EXPECT_TRUE(has_openid("profile openid"));
  EXPECT_FALSE(has_openid("openidx profile"));
}

TEST(HmacSignerTest, AValueVerifiesUntilItExpires) {
  const HmacSigner signer;
  const std::string value = signer.sign({{"sub", "alice"}}, "kind-a", now + 600);
  const auto claims = signer.verify(value, "kind-a", now + 599);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->at("sub").as_string(), "alice");
  EXPECT_FALSE(signer.verify(value, "kind-a", now + 600));
}

TEST(HmacSignerTest, ATamperedValueAnotherKindOrAnotherSignerIsRefused) {
  const HmacSigner signer;
  const std::string value = signer.sign({{"sub", "alice"}}, "kind-a", now + 600);
  EXPECT_FALSE(signer.verify(value, "kind-b", now));
  EXPECT_FALSE(HmacSigner().verify(value, "kind-a", now));
  // Each part altered: header, claims, signature.
  for (const size_t at : {size_t{3}, value.find('.') + 3, value.size() - 3}) {
    std::string altered = value;
    altered[at] = altered[at] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(signer.verify(altered, "kind-a", now)) << at;
  }
  EXPECT_FALSE(signer.verify("", "kind-a", now));
  EXPECT_FALSE(signer.verify("a.b.c", "kind-a", now));
}

TEST(PendingAuthorizationTest, RoundTripsTheRequestForTenMinutes) {
  const HmacSigner signer;
  const PendingAuthorization pending{.request = {.client_id = "app",
                                                 .redirect_uri = "https://app.example/cb",
                                                 .redirect_uri_given = true,
                                                 .scope = "openid profile",
                                                 .state = "s<1>",
                                                 .nonce = "n-1",
                                                 .code_challenge = std::string(rfc7636_challenge),
                                                 .code_challenge_method = "S256"},
                                     .subject = "alice"};
  const std::string sealed = seal_pending(signer, pending, now);
  const auto opened = open_pending(signer, sealed, now + 599);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->request.client_id, "app");
  EXPECT_EQ(opened->request.redirect_uri, "https://app.example/cb");
  EXPECT_TRUE(opened->request.redirect_uri_given);
  EXPECT_EQ(opened->request.scope, "openid profile");
  EXPECT_EQ(opened->request.state, "s<1>");
  EXPECT_EQ(opened->request.nonce, "n-1");
  EXPECT_EQ(opened->request.code_challenge, rfc7636_challenge);
  EXPECT_EQ(opened->request.code_challenge_method, "S256");
  EXPECT_EQ(opened->subject, "alice");
  EXPECT_FALSE(open_pending(signer, sealed, now + 600));
}

TEST(PendingAuthorizationTest, ASessionCookieIsNotAPendingRequest) {
  const HmacSigner signer;
  const std::string cookie = session_cookie(signer, {"alice", now}, "https://km.example", now);
  const std::string value =
      cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  EXPECT_TRUE(read_session(signer, {"gatehouse_session=" + value}, now));
  EXPECT_FALSE(open_pending(signer, value, now));
}

TEST(LoginSessionTest, TheCookieIsHttpOnlyLaxAndUnderTheEndpointsPath) {
  const HmacSigner signer;
  const std::string https = session_cookie(signer, {"alice", now}, "https://km.example/base", now);
  EXPECT_TRUE(https.starts_with("gatehouse_session=")) << https;
  EXPECT_NE(https.find("; Path=/base/oauth2/;"), std::string::npos) << https;
  EXPECT_NE(https.find("; Max-Age=28800; HttpOnly; SameSite=Lax; Secure"), std::string::npos);
  const std::string http = session_cookie(signer, {"alice", now}, "http://127.0.0.1:8280", now);
  EXPECT_NE(http.find("; Path=/oauth2/;"), std::string::npos) << http;
  EXPECT_EQ(http.find("Secure"), std::string::npos);
}

TEST(LoginSessionTest, TheSessionIsReadAmongOtherCookiesUntilItExpires) {
  const HmacSigner signer;
  const std::string cookie = session_cookie(signer, {"alice", now - 5}, "https://km.example", now);
  const std::string pair = cookie.substr(0, cookie.find(';'));
  const std::vector<std::string> fields = {"theme=dark; " + pair + "; lang=en", "other=1"};
  const std::vector<std::string_view> views(fields.begin(), fields.end());
  const auto session = read_session(signer, views, now + 10);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->subject, "alice");
  EXPECT_EQ(session->auth_time, now - 5);
  EXPECT_FALSE(read_session(signer, views, now + session_lifetime));
  EXPECT_FALSE(read_session(HmacSigner(), views, now));
  EXPECT_FALSE(read_session(signer, {"theme=dark"}, now));
}

TEST(LoginSessionTest, CookieValuesAreFoundByExactName) {
  const std::vector<std::string_view> fields = {"a=1;b=2", " xgatehouse_session=3 ; c = 4"};
  EXPECT_EQ(cookie_value(fields, "b"), "2");
  EXPECT_EQ(cookie_value(fields, "gatehouse_session"), std::nullopt);
  EXPECT_EQ(cookie_value(fields, "missing"), std::nullopt);
}

TEST(AuthorizationPageTest, EverythingWrittenIsEscaped) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  const OAuthAnswer page = authorization_page({.client_id = "<script>",
                                               .scopes = {"a&b"},
                                               .pending = "p\"q",
                                               .ask_login = false,
                                               .subject = "<i>bob</i>",
                                               .error = "<b>no</b>"});
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("<i>"), std::string::npos);
  EXPECT_EQ(page.body.find("<b>"), std::string::npos);
  EXPECT_NE(page.body.find("a&amp;b"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"p&quot;q\""), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::keymanager::authorization_parts_test
