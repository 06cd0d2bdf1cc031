// The device authorization grant (RFC 8628) without HTTP: the device authorization endpoint, the
// verification page (code form, login and consent, the session cookie), and the token endpoint's
// polling answers: authorization_pending, slow_down, access_denied, expired_token, the tokens once.
#include <gtest/gtest.h>

#include <regex>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/user_code.h"

namespace gatehouse::keymanager::device_authorization_test {
namespace {

using namespace fixture;

constexpr std::string_view device_grant = "urn:ietf:params:oauth:grant-type:device_code";

struct Device {
  std::string device_code;
  std::string user_code;  // as shown: XXXX-XXXX
};

class DeviceAuthorizationTest : public KeyManagerTest {
 protected:
  OAuthAnswer call(EndpointId endpoint, const Request& request) {
    return run(Endpoints(context()).handle(endpoint, request.view()));
  }

  OAuthAnswer authorize_device(std::string body) {
    return call(EndpointId::device_authorization, Request{.body = std::move(body)});
  }

  Device start_device(std::string_view scope = "openid profile") {
    const OAuthAnswer answer = authorize_device(form({{"client_id", "tv"}, {"scope", scope}}));
    EXPECT_EQ(answer.status, 200) << answer.body;
    const json::object body = body_of(answer);
    return {string_member(body, "device_code"), string_member(body, "user_code")};
  }

  OAuthAnswer poll(std::string_view device_code) {
    return call(EndpointId::token, Request{.body = form({{"grant_type", device_grant},
                                                         {"device_code", device_code},
                                                         {"client_id", "tv"}})});
  }

  std::string poll_error(std::string_view device_code) {
    const OAuthAnswer answer = poll(device_code);
    EXPECT_EQ(answer.status, 400) << answer.body;
    return string_member(body_of(answer), "error");
  }

  // The verification page for a typed code, as verification_uri_complete opens it.
  OAuthAnswer open_page(std::string_view typed, std::string cookie = {}) {
    Request request{
        .method = "GET", .query = form({{"user_code", typed}}), .cookie = std::move(cookie)};
    return call(EndpointId::device_verification, request);
  }

  OAuthAnswer answer_page(const OAuthAnswer& page, std::string_view decision,
                          std::string_view password = "wonderland", std::string cookie = {}) {
    std::string body = form({{"authorization_request", pending_of(page)}, {"decision", decision}});
    if (!password.empty()) body += "&" + form({{"username", "alice"}, {"password", password}});
    return call(EndpointId::device_verification,
                Request{.body = std::move(body), .cookie = std::move(cookie)});
  }
};

TEST(UserCodeTest, CodesAreEightConsonantsComparedWithoutCaseOrDash) {
  const std::string code = new_user_code();
  EXPECT_TRUE(std::regex_match(code, std::regex("[BCDFGHJKLMNPQRSTVWXZ]{8}"))) << code;
  EXPECT_NE(new_user_code(), code);
  EXPECT_EQ(display_user_code("BCDFGHJK"), "BCDF-GHJK");
  EXPECT_EQ(normalise_user_code("bcdf-ghjk"), "BCDFGHJK");
  EXPECT_EQ(normalise_user_code(" BCDF GHJK "), "BCDFGHJK");
  EXPECT_EQ(normalise_user_code("BCDF-GHJ"), std::nullopt);
  EXPECT_EQ(normalise_user_code("BCDF-GHJKL"), std::nullopt);
  EXPECT_EQ(normalise_user_code("BCDF-GHJA"), std::nullopt);  // no vowels
}

TEST_F(DeviceAuthorizationTest, TheDeviceGetsCodesAndWhereTheUserGoes) {
  const OAuthAnswer answer = authorize_device(form({{"client_id", "tv"}, {"scope", "profile"}}));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
  const json::object body = body_of(answer);
  const std::string user_code = string_member(body, "user_code");
  EXPECT_TRUE(std::regex_match(user_code, std::regex("[BCDFGHJKLMNPQRSTVWXZ]{4}-[A-Z]{4}")))
      << user_code;
  EXPECT_EQ(string_member(body, "device_code").size(), 43u);
  EXPECT_EQ(string_member(body, "verification_uri"), std::string(issuer) + "/oauth2/device");
  EXPECT_EQ(string_member(body, "verification_uri_complete"),
            std::string(issuer) + "/oauth2/device?user_code=" + user_code);
  EXPECT_EQ(body.at("expires_in").as_int64(), 600);
  EXPECT_EQ(body.at("interval").as_int64(), 5);
}

TEST_F(DeviceAuthorizationTest, OnlyAnAuthenticatedClientWithTheGrantMayAsk) {
  const OAuthAnswer spa = authorize_device(form({{"client_id", "spa"}}));
  EXPECT_EQ(spa.status, 400);
  EXPECT_EQ(string_member(body_of(spa), "error"), "unauthorized_client");
  EXPECT_EQ(authorize_device(form({{"client_id", "nobody"}})).status, 401);
  const OAuthAnswer scope = authorize_device(form({{"client_id", "tv"}, {"scope", "admin"}}));
  EXPECT_EQ(string_member(body_of(scope), "error"), "invalid_scope");
}

TEST_F(DeviceAuthorizationTest, PollingTooFastSlowsDownAndTheIntervalGrows) {
  const Device device = start_device();
  EXPECT_EQ(poll_error(device.device_code), "authorization_pending");
  EXPECT_EQ(poll_error(device.device_code), "slow_down");  // the same second
  now_ += 7;                                               // beyond 5, within 10
  EXPECT_EQ(poll_error(device.device_code), "slow_down");
  now_ += 15;  // the interval is 15 now
  EXPECT_EQ(poll_error(device.device_code), "authorization_pending");
}

TEST_F(DeviceAuthorizationTest, AllowedOnThePageTheDeviceGetsItsTokensOnce) {
  const Device device = start_device();
  EXPECT_EQ(poll_error(device.device_code), "authorization_pending");

  // Typed in lower case, without the dash.
  std::string typed = device.user_code;
  typed.erase(4, 1);
  for (char& c : typed) c = static_cast<char>(c - 'A' + 'a');
  const OAuthAnswer page = open_page(typed);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(header(page, "X-Frame-Options"), "DENY");
  EXPECT_NE(page.body.find("action=\"device\""), std::string::npos);
  EXPECT_NE(page.body.find("name=\"password\""), std::string::npos);
  EXPECT_NE(page.body.find("<strong>tv</strong>"), std::string::npos);
  EXPECT_NE(page.body.find(device.user_code), std::string::npos);

  const OAuthAnswer allowed = answer_page(page, "allow");
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_NE(allowed.body.find("Device connected"), std::string::npos);
  EXPECT_NE(header(allowed, "Set-Cookie").find("gatehouse_session="), std::string::npos);

  const OAuthAnswer tokens = poll(device.device_code);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  const json::object body = body_of(tokens);
  EXPECT_EQ(string_member(body, "scope"), "openid profile");
  EXPECT_FALSE(string_member(body, "refresh_token").empty());
  const auto claims = verified_claims(string_member(body, "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "sub"), "alice");
  EXPECT_EQ(string_member(*claims, "client_id"), "tv");
  EXPECT_FALSE(string_member(body, "id_token").empty());

  EXPECT_EQ(poll_error(device.device_code), "invalid_grant");
  // Answered: the page does not show it again.
  EXPECT_NE(open_page(device.user_code).body.find("not valid"), std::string::npos);
}

TEST_F(DeviceAuthorizationTest, ALoggedInUserIsNotAskedForThePasswordAgain) {
  const Device first = start_device();
  const std::string cookie = cookie_of(answer_page(open_page(first.user_code), "allow"));
  const Device second = start_device("profile");
  const OAuthAnswer page = open_page(second.user_code, cookie);
  EXPECT_EQ(page.body.find("name=\"password\""), std::string::npos);
  EXPECT_NE(page.body.find("Signed in as <strong>alice</strong>"), std::string::npos);
  const OAuthAnswer allowed = answer_page(page, "allow", {}, cookie);
  EXPECT_NE(allowed.body.find("Device connected"), std::string::npos) << allowed.body;
  EXPECT_EQ(poll(second.device_code).status, 200);
  // Without the session, the consent view asks for the login.
  const Device third = start_device("profile");
  const OAuthAnswer no_session = answer_page(open_page(third.user_code, cookie), "allow", {});
  EXPECT_NE(no_session.body.find("name=\"password\""), std::string::npos);
}

TEST_F(DeviceAuthorizationTest, AWrongPasswordShowsTheConsentViewAgain) {
  const Device device = start_device();
  const OAuthAnswer again = answer_page(open_page(device.user_code), "allow", "wrong");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("wrong"), std::string::npos);
  EXPECT_NE(again.body.find("name=\"password\""), std::string::npos);
  EXPECT_EQ(poll_error(device.device_code), "authorization_pending");
}

TEST_F(DeviceAuthorizationTest, DeniedIsAccessDenied) {
  const Device device = start_device();
  const OAuthAnswer denied = answer_page(open_page(device.user_code), "deny", {});
  EXPECT_NE(denied.body.find("Access denied"), std::string::npos);
  EXPECT_EQ(poll_error(device.device_code), "access_denied");
}

TEST_F(DeviceAuthorizationTest, AnExpiredCodeIsExpiredTokenAndNotShown) {
  const Device device = start_device();
  now_ += 600;
  EXPECT_EQ(poll_error(device.device_code), "expired_token");
  EXPECT_NE(open_page(device.user_code).body.find("not valid"), std::string::npos);
}

TEST_F(DeviceAuthorizationTest, UnknownCodesAreRefused) {
  EXPECT_EQ(poll_error("no-such-device-code"), "invalid_grant");
  const OAuthAnswer page = open_page("BCDF-GHJK");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("not valid"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"user_code\""), std::string::npos);
  // Without a code: the form to type one.
  Request blank{.method = "GET"};
  const OAuthAnswer form_page = call(EndpointId::device_verification, blank);
  EXPECT_NE(form_page.body.find("name=\"user_code\""), std::string::npos);
  EXPECT_EQ(form_page.body.find("not valid"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::keymanager::device_authorization_test
