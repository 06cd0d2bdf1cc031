// The authorization code flow end to end without HTTP: /oauth2/authorize's checks, page, login,
// consent, session and redirects, then the authorization_code grant at the token endpoint with
// PKCE, its ID token, and a reused code revoking what it issued.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/id_token.h"
#include "keymanager/server/pkce.h"

namespace gatehouse::keymanager::authorization_code_test {
namespace {

using namespace fixture;

constexpr std::string_view native_uri = "http://127.0.0.1:7000/cb";

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class AuthorizationCodeTest : public KeyManagerTest {
 protected:
  OAuthAnswer get(Fields fields, std::string cookie = {}) {
    Request request{.method = "GET", .query = form(fields), .cookie = std::move(cookie)};
    request.content_type.clear();
    return run(Endpoints(context()).handle(EndpointId::authorization, request.view()));
  }

  OAuthAnswer post_form(std::string body, std::string cookie = {}) {
    const Request request{.body = std::move(body), .cookie = std::move(cookie)};
    return run(Endpoints(context()).handle(EndpointId::authorization, request.view()));
  }

  // The app's usual request: S256, openid, a state and a nonce.
  OAuthAnswer app_authorize(std::string cookie = {}, std::string_view prompt = {}) {
    if (!prompt.empty()) {
      return get({{"response_type", "code"},
                  {"client_id", "app"},
                  {"redirect_uri", app_uri},
                  {"scope", "openid profile"},
                  {"state", "st-1"},
                  {"nonce", "nonce-1"},
                  {"code_challenge", challenge},
                  {"code_challenge_method", "S256"},
                  {"prompt", prompt}},
                 std::move(cookie));
    }
    return get({{"response_type", "code"},
                {"client_id", "app"},
                {"redirect_uri", app_uri},
                {"scope", "openid profile"},
                {"state", "st-1"},
                {"nonce", "nonce-1"},
                {"code_challenge", challenge},
                {"code_challenge_method", "S256"}},
               std::move(cookie));
  }

  OAuthAnswer log_in_and_allow(const OAuthAnswer& page, std::string_view password = "wonderland") {
    return post_form(form({{"authorization_request", pending_of(page)},
                           {"username", "alice"},
                           {"password", password},
                           {"decision", "allow"}}));
  }

  // A code for alice and the app, and the session cookie its login set.
  std::pair<std::string, std::string> app_code() {
    const OAuthAnswer redirect = log_in_and_allow(app_authorize());
    return {location_parameters(redirect)["code"], cookie_of(redirect)};
  }

  OAuthAnswer redeem(std::string_view code,
                     Fields extra = {{"code_verifier", verifier}, {"redirect_uri", app_uri}},
                     std::string_view client = "app") {
    std::string body = form({{"grant_type", "authorization_code"}, {"code", code}});
    if (extra.size() != 0) body += "&" + form(extra);
    Request request{.body = std::move(body)};
    if (client == "app") {
      request.authorization = basic("app", secrets_.app.secret);
    } else if (client == "web") {
      request.authorization = basic("web", secrets_.web.secret);
    } else {
      request.body += "&client_id=" + std::string(client);
    }
    return run(Endpoints(context()).handle(EndpointId::token, request.view()));
  }

  void expect_redirect_error(const OAuthAnswer& answer, std::string_view error,
                             std::string_view target = app_uri) {
    EXPECT_EQ(answer.status, 303) << answer.body;
    auto parameters = location_parameters(answer);
    EXPECT_EQ(parameters["(target)"], target);
    EXPECT_EQ(parameters["error"], error);
    EXPECT_EQ(parameters["iss"], issuer);
    EXPECT_EQ(parameters.count("code"), 0u);
  }

  void expect_error_page(const OAuthAnswer& answer) {
    EXPECT_EQ(answer.status, 400);
    EXPECT_EQ(answer.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(header(answer, "Location"), "");
    EXPECT_NE(answer.body.find("<h1>"), std::string::npos);
  }

  void expect_token_error(const OAuthAnswer& answer, std::string_view error = "invalid_grant") {
    EXPECT_EQ(answer.status, 400) << answer.body;
    EXPECT_EQ(string_member(body_of(answer), "error"), error) << answer.body;
  }
};

TEST_F(AuthorizationCodeTest, AnUnknownClientOrRedirectUriGetsAnErrorPageNeverARedirect) {
  expect_error_page(get({{"response_type", "code"}, {"client_id", "nobody"}}));
  expect_error_page(get({{"response_type", "code"}}));
  expect_error_page(get({{"response_type", "code"},
                         {"client_id", "app"},
                         {"redirect_uri", "https://evil.example/cb"}}));
  // Exact comparison: no prefix, no added query or trailing slash.
  expect_error_page(get({{"response_type", "code"},
                         {"client_id", "app"},
                         {"redirect_uri", "https://app.example/cb/"}}));
  // The app registered two: it must say which.
  expect_error_page(get({{"response_type", "code"}, {"client_id", "app"}}));
  // A client without redirect URIs (the password grant's).
  expect_error_page(get({{"response_type", "code"}, {"client_id", "web"}}));
  // A repeated parameter.
  expect_error_page(post_form("client_id=app&client_id=native&response_type=code"));
}

TEST_F(AuthorizationCodeTest, OtherErrorsGoBackToTheClientWithStateAndIss) {
  const OAuthAnswer hybrid = get({{"response_type", "code id_token"},
                                  {"client_id", "native"},
                                  {"state", "s 1"},
                                  {"code_challenge", challenge},
                                  {"code_challenge_method", "S256"}});
  expect_redirect_error(hybrid, "unsupported_response_type", native_uri);
  EXPECT_EQ(location_parameters(hybrid)["state"], "s 1");
  expect_redirect_error(get({{"client_id", "native"},
                             {"code_challenge", challenge},
                             {"code_challenge_method", "S256"}}),
                        "invalid_request", native_uri);
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "app"},
                             {"redirect_uri", app_uri},
                             {"scope", "orders:write"}}),
                        "invalid_scope");
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "app"},
                             {"redirect_uri", app_uri},
                             {"prompt", "none login"}}),
                        "invalid_request");
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "app"},
                             {"redirect_uri", app_uri},
                             {"code_challenge", "short"}}),
                        "invalid_request");
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "app"},
                             {"redirect_uri", app_uri},
                             {"code_challenge", challenge},
                             {"code_challenge_method", "S512"}}),
                        "invalid_request");
}

TEST_F(AuthorizationCodeTest, APublicClientMustSendAnS256Challenge) {
  expect_redirect_error(get({{"response_type", "code"}, {"client_id", "native"}}),
                        "invalid_request", native_uri);
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "native"},
                             {"code_challenge", verifier},
                             {"code_challenge_method", "plain"}}),
                        "invalid_request", native_uri);
  // Without a method, the challenge is plain (RFC 7636 section 4.3): refused too.
  expect_redirect_error(
      get({{"response_type", "code"}, {"client_id", "native"}, {"code_challenge", verifier}}),
      "invalid_request", native_uri);
  const OAuthAnswer page = get({{"response_type", "code"},
                                {"client_id", "native"},
                                {"code_challenge", challenge},
                                {"code_challenge_method", "S256"}});
  EXPECT_EQ(page.status, 200) << page.body;
}

TEST_F(AuthorizationCodeTest, ThePageLogsInAndAsksConsentWithItsSecurityHeaders) {
  const OAuthAnswer page = app_authorize();
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(page, "Content-Security-Policy"),
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  EXPECT_EQ(header(page, "X-Frame-Options"), "DENY");
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(header(page, "Referrer-Policy"), "no-referrer");
  for (const char* part : {"<h1>Sign in</h1>", "name=\"username\"", "name=\"password\"",
                           "name=\"decision\" value=\"allow\"", "name=\"decision\" value=\"deny\"",
                           "<strong>app</strong>", "<code>openid</code>", "<code>profile</code>",
                           "action=\"authorize\""}) {
    EXPECT_NE(page.body.find(part), std::string::npos) << part;
  }
  EXPECT_FALSE(pending_of(page).empty());
}

TEST_F(AuthorizationCodeTest, LoginAndAllowRedirectWithACodeStateIssAndASession) {
  const OAuthAnswer redirect = log_in_and_allow(app_authorize());
  ASSERT_EQ(redirect.status, 303) << redirect.body;
  auto parameters = location_parameters(redirect);
  EXPECT_EQ(parameters["(target)"], app_uri);
  EXPECT_EQ(parameters["code"].size(), 43u);
  EXPECT_EQ(parameters["state"], "st-1");
  EXPECT_EQ(parameters["iss"], issuer);
  EXPECT_EQ(header(redirect, "Cache-Control"), "no-store");
  const std::string set_cookie = header(redirect, "Set-Cookie");
  EXPECT_TRUE(set_cookie.starts_with("gatehouse_session=")) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly; SameSite=Lax; Secure"), std::string::npos) << set_cookie;
}

TEST_F(AuthorizationCodeTest, AWrongPasswordShowsTheLoginAgainAndRedirectsNowhere) {
  const OAuthAnswer again = log_in_and_allow(app_authorize(), "not-it");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(header(again, "Location"), "");
  EXPECT_EQ(header(again, "Set-Cookie"), "");
  EXPECT_NE(again.body.find("The user name or password is wrong."), std::string::npos);
  EXPECT_NE(again.body.find("name=\"password\""), std::string::npos);
  // The page shown again still works.
  EXPECT_EQ(log_in_and_allow(again).status, 303);
}

TEST_F(AuthorizationCodeTest, DenyIsAccessDenied) {
  const OAuthAnswer denied = post_form(
      form({{"authorization_request", pending_of(app_authorize())}, {"decision", "deny"}}));
  expect_redirect_error(denied, "access_denied");
  EXPECT_EQ(location_parameters(denied)["state"], "st-1");
}

TEST_F(AuthorizationCodeTest, ATamperedOrExpiredFormIsAnErrorPage) {
  const std::string pending = pending_of(app_authorize());
  std::string tampered = pending;
  tampered[tampered.find('.') + 5] ^= 1;
  expect_error_page(post_form(form({{"authorization_request", tampered},
                                    {"username", "alice"},
                                    {"password", "wonderland"},
                                    {"decision", "allow"}})));
  now_ += 601;
  expect_error_page(post_form(form({{"authorization_request", pending},
                                    {"username", "alice"},
                                    {"password", "wonderland"},
                                    {"decision", "allow"}})));
}

TEST_F(AuthorizationCodeTest, TheSessionSkipsTheLoginAndAStoredConsentSkipsThePage) {
  const std::string cookie = app_code().second;
  ASSERT_FALSE(cookie.empty());
  // Consent was given for "openid profile": a wider scope asks again, without the password.
  const OAuthAnswer consent = get({{"response_type", "code"},
                                   {"client_id", "app"},
                                   {"redirect_uri", app_uri},
                                   {"scope", "openid profile orders:read"},
                                   {"code_challenge", challenge},
                                   {"code_challenge_method", "S256"}},
                                  cookie);
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_EQ(consent.body.find("name=\"password\""), std::string::npos);
  EXPECT_NE(consent.body.find("Signed in as <strong>alice</strong>"), std::string::npos);
  const OAuthAnswer allowed = post_form(
      form({{"authorization_request", pending_of(consent)}, {"decision", "allow"}}), cookie);
  ASSERT_EQ(allowed.status, 303) << allowed.body;
  EXPECT_EQ(header(allowed, "Set-Cookie"), "");  // the session goes on
  // Both consents are kept: the first scope again, and a subset, go straight to the client.
  EXPECT_EQ(app_authorize(cookie).status, 303);
  const OAuthAnswer direct = get({{"response_type", "code"},
                                  {"client_id", "app"},
                                  {"redirect_uri", app_uri},
                                  {"scope", "orders:read"}},
                                 cookie);
  ASSERT_EQ(direct.status, 303);
  EXPECT_FALSE(location_parameters(direct)["code"].empty());
}

TEST_F(AuthorizationCodeTest, TheConsentFormNeedsTheSessionItWasShownTo) {
  const std::string cookie = app_code().second;
  const OAuthAnswer consent = app_authorize(cookie, "consent");
  ASSERT_EQ(consent.status, 200);
  // Posted without the cookie (as a cross-site form would be): the page asks for the password.
  const OAuthAnswer login =
      post_form(form({{"authorization_request", pending_of(consent)}, {"decision", "allow"}}));
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("name=\"password\""), std::string::npos);
}

TEST_F(AuthorizationCodeTest, PromptNoneAnswersWithoutAPage) {
  expect_redirect_error(app_authorize({}, "none"), "login_required");
  const std::string cookie = app_code().second;
  const OAuthAnswer with_consent = app_authorize(cookie, "none");
  EXPECT_EQ(with_consent.status, 303);
  EXPECT_FALSE(location_parameters(with_consent)["code"].empty());
  expect_redirect_error(get({{"response_type", "code"},
                             {"client_id", "app"},
                             {"redirect_uri", app_uri},
                             {"scope", "orders:read"},
                             {"prompt", "none"}},
                            cookie),
                        "consent_required");
  // prompt=login asks for the password despite the session.
  const OAuthAnswer login = app_authorize(cookie, "login");
  EXPECT_NE(login.body.find("name=\"password\""), std::string::npos);
}

TEST_F(AuthorizationCodeTest, TheCodeBuysTokensAndAnIdTokenWithPkce) {
  const std::string code = app_code().first;
  const OAuthAnswer answer = redeem(code);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json::object body = body_of(answer);
  EXPECT_EQ(string_member(body, "scope"), "openid profile");
  EXPECT_FALSE(string_member(body, "refresh_token").empty());
  const std::string access = string_member(body, "access_token");
  const auto claims = verified_claims(access);
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "alice");
  EXPECT_EQ(string_member(*claims, "client_id"), "app");

  const std::string id_token = string_member(body, "id_token");
  const auto jws = jose::decode_jws(id_token);
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->typ(), "JWT");
  EXPECT_EQ(jws->kid(), context().keys()->kid());
  const auto keys = jose::parse_jwks(json::serialize(context().keys()->jwks()));
  ASSERT_TRUE(keys && jose::verify(*jws, *keys));
  const json::object& id = jws->payload();
  EXPECT_EQ(string_member(id, "iss"), issuer);
  EXPECT_EQ(string_member(id, "sub"), "alice");
  EXPECT_EQ(string_member(id, "aud"), "app");
  EXPECT_EQ(string_member(id, "azp"), "app");
  EXPECT_EQ(string_member(id, "nonce"), "nonce-1");
  EXPECT_EQ(string_member(id, "at_hash"), at_hash(access));
  EXPECT_EQ(id.at("auth_time").as_int64(), now_);
  EXPECT_EQ(id.at("iat").as_int64(), now_);
  EXPECT_EQ(id.at("exp").as_int64(), now_ + 3600);
}

TEST_F(AuthorizationCodeTest, AReusedCodeIsRefusedAndRevokesWhatItIssued) {
  const std::string code = app_code().first;
  const json::object first = body_of(redeem(code));
  const std::string jti =
      std::string(jose::Claims(*verified_claims(string_member(first, "access_token"))).jti());
  ASSERT_TRUE(revoked_.empty());

  expect_token_error(redeem(code));
  ASSERT_EQ(revoked_.size(), 1u);
  EXPECT_EQ(revoked_[0].first, jti);
  EXPECT_TRUE(context().revoked().contains(jti, now_));
  // The refresh token issued for the code is gone too.
  const Request refresh{.body = form({{"grant_type", "refresh_token"},
                                      {"refresh_token", string_member(first, "refresh_token")}}),
                        .authorization = basic("app", secrets_.app.secret)};
  expect_token_error(run(Endpoints(context()).handle(EndpointId::token, refresh.view())));
}

TEST_F(AuthorizationCodeTest, AnExpiredCodeIsInvalidGrant) {
  const std::string code = app_code().first;
  now_ += 60;
  expect_token_error(redeem(code));
}

TEST_F(AuthorizationCodeTest, TheRedirectUriMustBeTheRequestsOne) {
  expect_token_error(redeem(app_code().first, {{"code_verifier", verifier}}));
  expect_token_error(
      redeem(app_code().first,
             {{"code_verifier", verifier}, {"redirect_uri", "https://app.example/cb?second=1"}}));
  // A request that left it out may leave it out (the native client registered one).
  const OAuthAnswer page = get({{"response_type", "code"},
                                {"client_id", "native"},
                                {"code_challenge", challenge},
                                {"code_challenge_method", "S256"}});
  const std::string code = location_parameters(log_in_and_allow(page))["code"];
  EXPECT_EQ(redeem(code, {{"code_verifier", verifier}}, "native").status, 200);
}

TEST_F(AuthorizationCodeTest, TheVerifierMustMatchTheChallenge) {
  expect_token_error(redeem(app_code().first,
                            {{"code_verifier", std::string(43, 'x')}, {"redirect_uri", app_uri}}));
  expect_token_error(redeem(app_code().first, {{"redirect_uri", app_uri}}));
  // A confidential client may do without PKCE, but then sends no verifier.
  const OAuthAnswer page = get({{"response_type", "code"},
                                {"client_id", "app"},
                                {"redirect_uri", app_uri},
                                {"scope", "profile"}});
  const std::string code = location_parameters(log_in_and_allow(page))["code"];
  expect_token_error(redeem(code));
}

TEST_F(AuthorizationCodeTest, AnotherClientsCodeIsInvalidGrant) {
  expect_token_error(redeem(app_code().first, {{"code_verifier", verifier}}, "native"));
}

TEST_F(AuthorizationCodeTest, RefreshingAnOpenIdGrantGivesANewIdTokenWithoutNonce) {
  const json::object first = body_of(redeem(app_code().first));
  const UnixSeconds logged_in = now_;
  now_ += 100;
  const Request refresh{.body = form({{"grant_type", "refresh_token"},
                                      {"refresh_token", string_member(first, "refresh_token")}}),
                        .authorization = basic("app", secrets_.app.secret)};
  const OAuthAnswer answer = run(Endpoints(context()).handle(EndpointId::token, refresh.view()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto jws = jose::decode_jws(string_member(body_of(answer), "id_token"));
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->payload().at("auth_time").as_int64(), logged_in);
  EXPECT_EQ(jws->payload().at("iat").as_int64(), now_);
  EXPECT_FALSE(jws->payload().contains("nonce"));
}

TEST_F(AuthorizationCodeTest, TheDiscoveryDocumentDescribesTheFlow) {
  const Request request{.method = "GET"};
  const json::object document =
      body_of(run(Endpoints(context()).handle(EndpointId::discovery, request.view())));
  EXPECT_EQ(string_member(document, "authorization_endpoint"),
            std::string(issuer) + "/oauth2/authorize");
  EXPECT_EQ(document.at("code_challenge_methods_supported"), (json::array{"S256", "plain"}));
  EXPECT_EQ(document.at("authorization_response_iss_parameter_supported"), true);
  const json::array& grants = document.at("grant_types_supported").as_array();
  EXPECT_NE(std::ranges::find(grants, json::value("authorization_code")), grants.end());
  const json::array& scopes = document.at("scopes_supported").as_array();
  EXPECT_NE(std::ranges::find(scopes, json::value("openid")), scopes.end());
}

TEST_F(AuthorizationCodeTest, OtherMethodsAre405) {
  const Request request{.method = "PUT"};
  const OAuthAnswer answer =
      run(Endpoints(context()).handle(EndpointId::authorization, request.view()));
  EXPECT_EQ(answer.status, 405);
  EXPECT_EQ(header(answer, "Allow"), "GET, POST");
  EXPECT_EQ(Endpoints::find("/oauth2/authorize"), EndpointId::authorization);
}

}  // namespace
}  // namespace gatehouse::keymanager::authorization_code_test
