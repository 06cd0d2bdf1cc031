// The API's security as the chain runs it, against a real configuration: users whose password
// hashes the `argon2` tool made, API keys signed with a key `openssl` made, and the snapshot's
// security state compiled from them. Which scheme's credential decides, what a request without
// any is told, and what the admission step refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "config/loader.h"
#include "policies/auth/auth_policy.h"
#include "policy_test_support.h"
#include "security/auth/bearer_validator.h"
#include "security/tokens/application_api_keys.h"
#include "support/password_tools.h"

namespace gatehouse::policies {
namespace {

using identity::test_support::argon2_tool_hash;
using identity::test_support::run_command;
using ::testing::HasSubstr;
using testing::header_of;
using testing::TestRequest;

constexpr std::string_view kAlice = "Basic YWxpY2U6czNjcmV0";       // alice:s3cret
constexpr std::string_view kAliceWrong = "Basic YWxpY2U6d3Jvbmc=";  // alice:wrong

// A gateway config with one user, one application subscribed to Shop, and Shop secured by
// `schemes`; its /items needs the scope `read` (alice's role grants it), its /orders `write`,
// its /status none (an API key carries no scopes).
class ApiSecurity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("auth_steps_test." + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    key_file_ = (dir_ / "gateway.key.pem").string();
    run_command("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key_file_ +
                " 2>/dev/null");
    alice_hash_ = argon2_tool_hash("s3cret");
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  // Compiles the config with Shop's `security` as given, and Shop's resource `path`'s auth policy.
  void secure(std::string_view security, std::string_view path = "/items") {
    const std::string yaml = std::string("listeners: [{name: http, address: 127.0.0.1:8280}]\n") +
                             "signing_key: " + key_file_ + "\n" +
                             "users: [{name: alice, password_hash: '" + alice_hash_ +
                             "', roles: [reader]}]\n"
                             "roles: {reader: [read]}\n"
                             "applications: [{id: app-1, name: ShopApp, owner: alice}]\n"
                             "subscriptions: [{application: app-1, api: 'Shop:1.0'}]\n"
                             "apis:\n"
                             "  - name: Shop\n"
                             "    version: '1.0'\n"
                             "    context: /shop\n"
                             "    endpoints: {production: ['http://127.0.0.1:9000']}\n"
                             "    security: " +
                             std::string(security) +
                             "\n"
                             "    resources:\n"
                             "      - {method: GET, path: /items, scopes: [read]}\n"
                             "      - {method: GET, path: /orders, scopes: [write]}\n"
                             "      - {method: GET, path: /status}\n";
    auto loaded = config::load_string(yaml, "gw.yaml");
    ASSERT_TRUE(loaded) << loaded.error().report().front();
    config_ = std::move(*loaded);
    auto state = security::SecurityState::compile(config_, runtime_);
    ASSERT_TRUE(state) << state.error().report().front();
    state_ = *state;
    ASSERT_TRUE(runtime_.directory.prepare(config_.security));
    runtime_.directory.commit();
    const config::ApiConfig& api = config_.apis.front();
    const auto resource = std::ranges::find(api.resources, path, &config::ResourceConfig::path);
    policy_ = make_auth_policy({.state = state_,
                                .api = &api,
                                .api_id = runtime_.directory.api_id("Shop:1.0"),
                                .resource = &*resource});
    chain_ = Chain({policy_.get()});
  }

  // Runs the chain's request steps as the runner does, until one answers.
  Verdict run(Exchange& exchange) {
    states_.begin(chain_);
    Verdict verdict = Verdict::proceed;
    for (size_t i = 0; i < chain_.size() && verdict == Verdict::proceed; ++i) {
      exchange.policy_state = states_.start(i);
      verdict = chain_[i].on_request(exchange);
    }
    return verdict;
  }

  Verdict call(const TestRequest& request, Exchange& exchange) {
    exchange.request = &request.head();
    exchange.client_address = "192.0.2.1";
    exchange.subscriptions = runtime_.directory.current().get();
    return run(exchange);
  }

  std::string api_key() const {
    auto issued = tokens::issue_application_api_key(config_, *state_->gateway_key(), "app-1", {},
                                                    security::epoch_seconds());
    return issued ? issued->api_key : "(not issued)";
  }

  static int code_of(const Exchange& exchange) {
    return exchange.local_response ? exchange.local_response->status : 0;
  }

  static inline std::filesystem::path dir_;
  static inline std::string key_file_;
  static inline std::string alice_hash_;
  config::Config config_;
  security::Runtime runtime_;  // before state_: the state takes its token caches from it
  std::shared_ptr<const security::SecurityState> state_;
  std::unique_ptr<const Policy> policy_;
  Chain chain_;
  PolicyStates states_;  // after chain_: its states end while the chain is alive
};

TEST_F(ApiSecurity, StepsRunInTheirPhasesAuthenticationThenAdmission) {
  secure("{schemes: [basic_auth]}");
  ASSERT_EQ(chain_.size(), 2u);
  EXPECT_EQ(chain_[0].phase(), Phase::authentication);
  EXPECT_EQ(chain_[1].phase(), Phase::admission);
}

TEST_F(ApiSecurity, BasicAuthAdmitsAUserByItsArgon2HashWithItsRolesScopes) {
  secure("{schemes: [basic_auth]}");
  const TestRequest request("GET", "/shop/1.0/items", {{"Authorization", kAlice}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::proceed);
  ASSERT_TRUE(exchange.principal);
  EXPECT_EQ(exchange.principal->scheme, config::Scheme::basic_auth);
  EXPECT_EQ(exchange.principal->subject, "alice");
  EXPECT_EQ(exchange.principal->scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(exchange.credential, kAlice);
  EXPECT_EQ(exchange.subscription, nullptr);  // a user has no application
}

TEST_F(ApiSecurity, AWrongPasswordIsRefusedWithABasicChallenge) {
  secure("{schemes: [basic_auth]}");
  const TestRequest request("GET", "/shop/1.0/items", {{"Authorization", kAliceWrong}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(code_of(exchange), 401);
  EXPECT_THAT(exchange.local_response->body, HasSubstr("900901"));
  EXPECT_EQ(exchange.auth_error, "wrong user name or password");
  EXPECT_THAT(header_of(*exchange.local_response, "WWW-Authenticate"),
              HasSubstr("Basic realm=\"gatehouse\", error=\"invalid_token\""));
  EXPECT_FALSE(exchange.principal);
}

// docs/config.md: Authorization first, then the API key; the order `schemes` lists them in
// does not change it.
TEST_F(ApiSecurity, TheAuthorizationHeaderIsAskedBeforeTheApiKeyWhateverTheListedOrder) {
  secure("{schemes: [api_key, basic_auth]}");
  const TestRequest request("GET", "/shop/1.0/items",
                            {{"apikey", "not-a-key"}, {"Authorization", kAlice}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::proceed);
  EXPECT_EQ(exchange.principal->scheme, config::Scheme::basic_auth);
}

TEST_F(ApiSecurity, TheFirstCredentialPresentDecidesEvenWhenItIsWrong) {
  secure("{schemes: [api_key, basic_auth]}");
  const TestRequest request("GET", "/shop/1.0/items",
                            {{"Authorization", kAliceWrong}, {"apikey", api_key()}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(exchange.auth_error, "wrong user name or password");
}

TEST_F(ApiSecurity, AnotherAuthorizationSchemeIsNoCredentialOfTheseSchemes) {
  secure("{schemes: [api_key, basic_auth]}", "/status");
  const std::string key = api_key();
  const TestRequest request("GET", "/shop/1.0/status",
                            {{"Authorization", "Bearer abc"}, {"apikey", key}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::proceed);
  EXPECT_EQ(exchange.principal->scheme, config::Scheme::api_key);
}

TEST_F(ApiSecurity, NoCredentialIs900902NamingWhatToSendInTheSchemesOrder) {
  secure("{schemes: [api_key, basic_auth]}");
  const TestRequest request("GET", "/shop/1.0/items", {{"Authorization", "Negotiate abc"}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(code_of(exchange), 401);
  EXPECT_THAT(exchange.local_response->body, HasSubstr("900902"));
  EXPECT_EQ(exchange.auth_error,
            "Make sure your API invocation call has 'Authorization: Basic CREDENTIALS', "
            "an 'apikey' header");
  // RFC 6750 3.1: no error code when no credentials were sent.
  EXPECT_EQ(header_of(*exchange.local_response, "WWW-Authenticate"), "Basic realm=\"gatehouse\"");
}

TEST_F(ApiSecurity, AnApiTakingOnlyApiKeysSendsNoChallenge) {
  secure("{schemes: [api_key]}");
  const TestRequest request("GET", "/shop/1.0/items", {});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(header_of(*exchange.local_response, "WWW-Authenticate"), "(absent)");
}

TEST_F(ApiSecurity, AnApiKeySignedWithTheGatewayKeyAdmitsItsSubscribedApplication) {
  secure("{schemes: [api_key]}", "/status");
  const std::string key = api_key();
  const TestRequest request("GET", "/shop/1.0/status", {{"apikey", key}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::proceed) << exchange.auth_error;
  EXPECT_EQ(exchange.principal->scheme, config::Scheme::api_key);
  ASSERT_NE(exchange.caller.application, nullptr);
  EXPECT_EQ(exchange.caller.application->id, "app-1");
  EXPECT_NE(exchange.subscription, nullptr);
  EXPECT_EQ(exchange.credential, key);
}

TEST_F(ApiSecurity, AForgedApiKeyIsRefused) {
  secure("{schemes: [api_key]}");
  std::string key = api_key();
  key.back() = key.back() == 'A' ? 'B' : 'A';
  const TestRequest request("GET", "/shop/1.0/items", {{"apikey", key}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(code_of(exchange), 401);
  EXPECT_THAT(exchange.auth_error, HasSubstr("API key: "));
}

TEST_F(ApiSecurity, AdmissionRefusesACallerWithoutTheResourcesScopeAndForgetsIt) {
  secure("{schemes: [basic_auth]}", "/orders");
  const TestRequest request("GET", "/shop/1.0/orders", {{"Authorization", kAlice}});
  Exchange exchange;
  ASSERT_EQ(call(request, exchange), Verdict::respond);
  EXPECT_EQ(code_of(exchange), 403);
  EXPECT_THAT(exchange.local_response->body, HasSubstr("900910"));
  EXPECT_THAT(header_of(*exchange.local_response, "WWW-Authenticate"),
              HasSubstr("error=\"insufficient_scope\""));
  // The access log names only callers the API admitted.
  EXPECT_FALSE(exchange.principal);
}

}  // namespace
}  // namespace gatehouse::policies
