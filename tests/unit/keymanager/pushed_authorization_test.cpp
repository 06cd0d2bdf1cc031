// Pushed authorization requests (RFC 9126) without HTTP: /oauth2/par checks a request as
// /oauth2/authorize does and holds it; /oauth2/authorize takes it back by client_id and
// request_uri, once, for its own client, within 60 seconds; the code it leads to is redeemed as
// usual. And the discovery document's entries for the endpoints of this step.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/endpoints.h"

namespace gatehouse::keymanager::pushed_authorization_test {
namespace {

using namespace fixture;

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class PushedAuthorizationTest : public KeyManagerTest {
 protected:
  OAuthAnswer call(EndpointId endpoint, const Request& request) {
    return run(Endpoints(context()).handle(endpoint, request.view()));
  }

  // The app's request, pushed with its secret (Basic: client_id may stay out of the form).
  OAuthAnswer push(Fields fields) {
    return call(EndpointId::pushed_authorization,
                Request{.body = form(fields), .authorization = basic("app", secrets_.app.secret)});
  }

  OAuthAnswer push_app_request() {
    return push({{"response_type", "code"},
                 {"redirect_uri", app_uri},
                 {"scope", "openid profile"},
                 {"state", "pushed-state"},
                 {"code_challenge", challenge},
                 {"code_challenge_method", "S256"}});
  }

  std::string request_uri_of(const OAuthAnswer& pushed) {
    EXPECT_EQ(pushed.status, 201) << pushed.body;
    return string_member(body_of(pushed), "request_uri");
  }

  OAuthAnswer authorize(std::string_view client_id, std::string_view request_uri) {
    Request request{.method = "GET",
                    .query = form({{"client_id", client_id}, {"request_uri", request_uri}})};
    request.content_type.clear();
    return call(EndpointId::authorization, request);
  }
};

TEST_F(PushedAuthorizationTest, APushedRequestLeadsToACodeThatRedeems) {
  const OAuthAnswer pushed = push_app_request();
  EXPECT_EQ(header(pushed, "Cache-Control"), "no-store");
  EXPECT_EQ(body_of(pushed).at("expires_in").as_int64(), 60);
  const std::string request_uri = request_uri_of(pushed);
  EXPECT_TRUE(request_uri.starts_with("urn:ietf:params:oauth:request_uri:")) << request_uri;

  const OAuthAnswer page = authorize("app", request_uri);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("name=\"password\""), std::string::npos);
  const OAuthAnswer redirect = call(
      EndpointId::authorization, Request{.body = form({{"authorization_request", pending_of(page)},
                                                       {"username", "alice"},
                                                       {"password", "wonderland"},
                                                       {"decision", "allow"}})});
  auto parameters = location_parameters(redirect);
  EXPECT_EQ(parameters["(target)"], app_uri);
  EXPECT_EQ(parameters["state"], "pushed-state");
  ASSERT_FALSE(parameters["code"].empty()) << header(redirect, "Location");

  const OAuthAnswer tokens =
      call(EndpointId::token, Request{.body = form({{"grant_type", "authorization_code"},
                                                    {"code", parameters["code"]},
                                                    {"redirect_uri", app_uri},
                                                    {"code_verifier", verifier}}),
                                      .authorization = basic("app", secrets_.app.secret)});
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_EQ(string_member(body_of(tokens), "scope"), "openid profile");
}

TEST_F(PushedAuthorizationTest, ARequestUriIsUsedOnce) {
  const std::string request_uri = request_uri_of(push_app_request());
  EXPECT_EQ(authorize("app", request_uri).status, 200);
  const OAuthAnswer again = authorize("app", request_uri);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(header(again, "Location"), "");
}

TEST_F(PushedAuthorizationTest, ARequestUriIsItsClientsAlone) {
  const std::string request_uri = request_uri_of(push_app_request());
  EXPECT_EQ(authorize("native", request_uri).status, 400);
  EXPECT_EQ(authorize("app", "urn:ietf:params:oauth:request_uri:made-up").status, 400);
  EXPECT_EQ(authorize("app", request_uri).status, 200);  // still the app's
}

TEST_F(PushedAuthorizationTest, ARequestUriExpiresAfterAMinute) {
  const std::string request_uri = request_uri_of(push_app_request());
  now_ += 60;
  EXPECT_EQ(authorize("app", request_uri).status, 400);
}

TEST_F(PushedAuthorizationTest, APushIsCheckedAsAnAuthorizationRequest) {
  const auto error_of = [](const OAuthAnswer& answer) {
    EXPECT_EQ(answer.status, 400) << answer.body;
    EXPECT_EQ(header(answer, "Location"), "");
    return string_member(body_of(answer), "error");
  };
  EXPECT_EQ(error_of(push({{"response_type", "code id_token"}, {"redirect_uri", app_uri}})),
            "unsupported_response_type");
  EXPECT_EQ(error_of(push({{"response_type", "code"}, {"redirect_uri", "https://evil.example"}})),
            "invalid_request");
  EXPECT_EQ(error_of(push(
                {{"response_type", "code"}, {"redirect_uri", app_uri}, {"scope", "orders:write"}})),
            "invalid_scope");
  EXPECT_EQ(error_of(push({{"response_type", "code"},
                           {"redirect_uri", app_uri},
                           {"request_uri", "urn:ietf:params:oauth:request_uri:x"}})),
            "invalid_request");
  // A public client must send an S256 challenge here too.
  const OAuthAnswer native =
      call(EndpointId::pushed_authorization,
           Request{.body = form({{"client_id", "native"}, {"response_type", "code"}})});
  EXPECT_EQ(error_of(native), "invalid_request");
}

TEST_F(PushedAuthorizationTest, APushNeedsTheClientsAuthentication) {
  const OAuthAnswer wrong =
      call(EndpointId::pushed_authorization,
           Request{.body = form({{"response_type", "code"}, {"redirect_uri", app_uri}}),
                   .authorization = basic("app", "not-the-secret")});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(string_member(body_of(wrong), "error"), "invalid_client");
  Request get{.method = "GET"};
  EXPECT_EQ(call(EndpointId::pushed_authorization, get).status, 405);
}

TEST_F(PushedAuthorizationTest, DiscoveryListsTheDevicePushedAndUserinfoEndpoints) {
  Request get{.method = "GET"};
  const json::object document = body_of(call(EndpointId::discovery, get));
  EXPECT_EQ(string_member(document, "device_authorization_endpoint"),
            std::string(issuer) + "/oauth2/device_authorization");
  EXPECT_EQ(string_member(document, "pushed_authorization_request_endpoint"),
            std::string(issuer) + "/oauth2/par");
  EXPECT_EQ(document.at("require_pushed_authorization_requests"), json::value(false));
  EXPECT_EQ(string_member(document, "userinfo_endpoint"), std::string(issuer) + "/oauth2/userinfo");
  const json::array& grants = document.at("grant_types_supported").as_array();
  EXPECT_NE(std::ranges::find(grants, json::value("urn:ietf:params:oauth:grant-type:device_code")),
            grants.end());
  for (const std::string_view path :
       {"/oauth2/device_authorization", "/oauth2/device", "/oauth2/par", "/oauth2/userinfo"}) {
    EXPECT_TRUE(Endpoints::find(path).has_value()) << path;
  }
}

}  // namespace
}  // namespace gatehouse::keymanager::pushed_authorization_test
