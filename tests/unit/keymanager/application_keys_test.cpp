// Applications' keys made while the gateway runs: a consumer key and a secret whose hash alone is
// kept, served by the token endpoint from the next request on, refused where the application has
// one of that type already or the config file declares it, and kept in the store across a
// restart. And the registered client's form in the store, to and from the served one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "key_manager_fixture.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/registered_client.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::application_keys_test {
namespace {

using namespace fixture;
using identity::KeyType;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ApplicationKeysTest : public KeyManagerTest {
 protected:
  ApplicationKeys keys() { return ApplicationKeys(context()); }

  // The token endpoint's answer to a client_credentials request with these credentials.
  OAuthAnswer client_credentials_with(std::string_view id, std::string_view secret) {
    const Request request{.body = form({{"grant_type", "client_credentials"}}),
                          .authorization = basic(id, secret)};
    return run(TokenEndpoint(context()).handle(request.view()));
  }

  IssuedKey generated(KeyRequest request) {
    auto issued = keys().generate(request);
    if (!issued) throw std::runtime_error(issued.error().message);
    return std::move(*issued);
  }

  IssuedKey generated_for(std::string application_id, KeyType type = KeyType::production) {
    return generated(KeyRequest{.application_id = std::move(application_id), .key_type = type});
  }

  // How `request` is refused, or a failure if it is not.
  KeyRefusal::Kind refusal_of(const KeyRequest& request) {
    const auto issued = keys().generate(request);
    EXPECT_FALSE(issued) << "made " << (issued ? (*issued).client->client_id : "");
    return issued ? KeyRefusal::store_failed : issued.error().kind;
  }

  // A client the config file declares as the PRODUCTION key of application "app-file".
  void declare_file_key() {
    extra_clients_.push_back(Client{.client_id = "file-key",
                                    .secret_hash = hash_client_secret("file-secret"),
                                    .grant_types = {"client_credentials"},
                                    .application_id = "app-file",
                                    .key_type = KeyType::production});
    start();
  }

  // A context on the same store with these token lifetimes for keys that name none.
  void restart_with_lifetimes(seconds access, seconds refresh) {
    Settings changed = settings();
    changed.access_token_lifetime = access;
    changed.refresh_token_lifetime = refresh;
    context_.reset();
    auto context = ServerContext::create(std::move(changed), *store_, {}, [this] { return now_; });
    if (!context) throw std::runtime_error(context.error());
    context_ = std::move(*context);
  }

  std::vector<ClientRecord> stored_clients() {
    auto records = store_->run_blocking([](GrantStore& store) { return store.clients(); });
    if (!records) throw std::runtime_error(records.error().describe());
    return std::move(*records);
  }
};

bool is_base64url(std::string_view text) {
  return std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

TEST_F(ApplicationKeysTest, GenerateMakesAClientWhoseSecretGetsATokenAtTheTokenEndpoint) {
  const IssuedKey issued = generated_for("app-1");
  ASSERT_NE(issued.client, nullptr);
  EXPECT_EQ(issued.client->client_id.size(), 24u);
  EXPECT_TRUE(is_base64url(issued.client->client_id)) << issued.client->client_id;
  EXPECT_EQ(issued.client->application_id, "app-1");
  EXPECT_EQ(issued.client->key_type, KeyType::production);
  EXPECT_FALSE(issued.secret.empty());
  EXPECT_TRUE(client_secret_matches(issued.secret, issued.client->secret_hash));
  EXPECT_EQ(issued.client->secret_hash.find(issued.secret), std::string::npos);

  const OAuthAnswer answer = client_credentials_with(issued.client->client_id, issued.secret);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto claims = verified_claims(string_member(body_of(answer), "access_token"));
  ASSERT_TRUE(claims);
  EXPECT_EQ(string_member(*claims, "client_id"), issued.client->client_id);
  EXPECT_EQ(client_credentials_with(issued.client->client_id, "not-the-secret").status, 401);
}

TEST_F(ApplicationKeysTest, TheStoreKeepsTheSecretsHashNotTheSecret) {
  const IssuedKey issued = generated_for("app-1");
  const std::vector<ClientRecord> records = stored_clients();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].client_id, issued.client->client_id);
  EXPECT_EQ(records[0].secret_hash, issued.client->secret_hash);
  EXPECT_EQ(records[0].application_id, "app-1");
  EXPECT_EQ(records[0].key_type, "PRODUCTION");
  EXPECT_EQ(records[0].created_at, now_);
}

TEST_F(ApplicationKeysTest, ARequestThatNamesNothingGetsClientCredentialsAndTheSettingsLifetimes) {
  restart_with_lifetimes(seconds(900), seconds(7200));
  const IssuedKey issued = generated_for("app-1");
  EXPECT_EQ(issued.client->grant_types, std::vector<std::string>{"client_credentials"});
  EXPECT_TRUE(issued.client->scopes.empty());
  EXPECT_TRUE(issued.client->redirect_uris.empty());
  EXPECT_EQ(issued.client->access_token_lifetime, seconds(900));
  EXPECT_EQ(issued.client->refresh_token_lifetime, seconds(7200));
  EXPECT_EQ(issued.client->access_token_format, AccessTokenFormat::jwt);
  EXPECT_FALSE(issued.client->public_client);

  const OAuthAnswer answer = client_credentials_with(issued.client->client_id, issued.secret);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(body_of(answer).at("expires_in").as_int64(), 900);
}

TEST_F(ApplicationKeysTest, WhatTheRequestNamesIsKeptOnceEach) {
  const IssuedKey issued = generated(
      KeyRequest{.application_id = "app-1",
                 .grant_types = {"authorization_code", "refresh_token", "authorization_code"},
                 .scopes = {"read", "write", "read"},
                 .redirect_uris = {"https://app.example/cb", "https://app.example/cb"},
                 .access_token_lifetime = seconds(600),
                 .refresh_token_lifetime = seconds(3600)});
  EXPECT_THAT(issued.client->grant_types, ElementsAre("authorization_code", "refresh_token"));
  EXPECT_THAT(issued.client->scopes, ElementsAre("read", "write"));
  EXPECT_THAT(issued.client->redirect_uris, ElementsAre("https://app.example/cb"));
  EXPECT_EQ(issued.client->access_token_lifetime, seconds(600));
  EXPECT_EQ(issued.client->refresh_token_lifetime, seconds(3600));
}

TEST_F(ApplicationKeysTest, ASecondKeyOfTheSameTypeIsAConflictAndChangesNothing) {
  const IssuedKey first = generated_for("app-1");
  const auto second = keys().generate(KeyRequest{.application_id = "app-1"});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, KeyRefusal::conflict);
  EXPECT_THAT(second.error().message, HasSubstr("app-1"));
  EXPECT_THAT(second.error().message, HasSubstr("PRODUCTION"));
  EXPECT_EQ(context().clients()->find_key("app-1", KeyType::production), first.client);
  EXPECT_EQ(stored_clients().size(), 1u);
  EXPECT_EQ(client_credentials_with(first.client->client_id, first.secret).status, 200);
}

TEST_F(ApplicationKeysTest, ProductionAndSandboxKeysOfOneApplicationLiveSideBySide) {
  const IssuedKey production = generated_for("app-1", KeyType::production);
  const IssuedKey sandbox = generated_for("app-1", KeyType::sandbox);
  EXPECT_NE(production.client->client_id, sandbox.client->client_id);
  EXPECT_NE(production.secret, sandbox.secret);
  EXPECT_EQ(sandbox.client->key_type, KeyType::sandbox);
  EXPECT_EQ(client_credentials_with(production.client->client_id, production.secret).status, 200);
  EXPECT_EQ(client_credentials_with(sandbox.client->client_id, sandbox.secret).status, 200);
  EXPECT_EQ(client_credentials_with(sandbox.client->client_id, production.secret).status, 401);

  const std::vector<ClientPtr> listed = keys().of_application("app-1");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], production.client);
  EXPECT_EQ(listed[1], sandbox.client);
  // Another application's keys are its own.
  EXPECT_TRUE(keys().of_application("app-2").empty());
  EXPECT_TRUE(generated_for("app-2").client);
}

TEST_F(ApplicationKeysTest, AKeyTheConfigFileDeclaresCannotBeMadeChangedOrRemovedHere) {
  declare_file_key();
  EXPECT_TRUE(keys().in_config("file-key"));
  EXPECT_EQ(refusal_of(KeyRequest{.application_id = "app-file"}), KeyRefusal::in_config);

  const auto regenerated = keys().regenerate_secret("app-file", KeyType::production);
  ASSERT_FALSE(regenerated);
  EXPECT_EQ(regenerated.error().kind, KeyRefusal::in_config);
  EXPECT_THAT(regenerated.error().message, HasSubstr("config file"));
  const auto removed = keys().remove("app-file", KeyType::production);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().kind, KeyRefusal::in_config);

  EXPECT_EQ(client_credentials_with("file-key", "file-secret").status, 200);
  // Its other key type is free; both are the application's.
  const IssuedKey sandbox = generated_for("app-file", KeyType::sandbox);
  EXPECT_FALSE(keys().in_config(sandbox.client->client_id));
  EXPECT_EQ(keys().of_application("app-file").size(), 2u);
}

TEST_F(ApplicationKeysTest, AnUnknownGrantTypeIsInvalid) {
  EXPECT_EQ(refusal_of(KeyRequest{.application_id = "app-1", .grant_types = {"magic"}}),
            KeyRefusal::invalid);
  const auto refused = keys().generate(
      KeyRequest{.application_id = "app-1", .grant_types = {"client_credentials", "magic"}});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("'magic'"));
}

TEST_F(ApplicationKeysTest, TheGrantsThatRedirectNeedACallbackUrl) {
  EXPECT_EQ(
      refusal_of(KeyRequest{.application_id = "app-1", .grant_types = {"authorization_code"}}),
      KeyRefusal::invalid);
  EXPECT_EQ(refusal_of(KeyRequest{.application_id = "app-1", .grant_types = {"implicit"}}),
            KeyRefusal::invalid);
  EXPECT_TRUE(generated(KeyRequest{.application_id = "app-1",
                                   .grant_types = {"authorization_code"},
                                   .redirect_uris = {"https://app.example/cb"}})
                  .client);
}

TEST_F(ApplicationKeysTest, AScopeThatIsNotAScopeTokenIsInvalid) {
  for (const std::string scope : {"a b", "", "quote\"d", "back\\slash", "tab\there"}) {
    const auto refused = keys().generate(KeyRequest{.application_id = "app-1", .scopes = {scope}});
    ASSERT_FALSE(refused) << scope;
    EXPECT_EQ(refused.error().kind, KeyRefusal::invalid) << scope;
  }
  EXPECT_TRUE(
      generated(KeyRequest{.application_id = "app-1", .scopes = {"orders:read", "urn:x/y!"}})
          .client);
}

TEST_F(ApplicationKeysTest, ALifetimeOfZeroOrAboveTheLongestIsInvalid) {
  const auto with_access = [](seconds lifetime) {
    return KeyRequest{.application_id = "app-1", .access_token_lifetime = lifetime};
  };
  const auto with_refresh = [](seconds lifetime) {
    return KeyRequest{.application_id = "app-1", .refresh_token_lifetime = lifetime};
  };
  EXPECT_EQ(refusal_of(with_access(seconds(0))), KeyRefusal::invalid);
  EXPECT_EQ(refusal_of(with_access(seconds(-1))), KeyRefusal::invalid);
  EXPECT_EQ(refusal_of(with_access(longest_access_token_lifetime + seconds(1))),
            KeyRefusal::invalid);
  EXPECT_EQ(refusal_of(with_refresh(seconds(0))), KeyRefusal::invalid);
  EXPECT_EQ(refusal_of(with_refresh(longest_refresh_token_lifetime + seconds(1))),
            KeyRefusal::invalid);
  EXPECT_TRUE(stored_clients().empty());

  // The longest is allowed.
  const IssuedKey issued = generated(KeyRequest{
      .application_id = "app-1",
      .access_token_lifetime = longest_access_token_lifetime,
      .refresh_token_lifetime = longest_refresh_token_lifetime,
  });
  EXPECT_EQ(issued.client->access_token_lifetime, longest_access_token_lifetime);
}

TEST_F(ApplicationKeysTest, ANewSecretWorksAndTheOldOneFailsFromThenOn) {
  const IssuedKey first = generated_for("app-1");
  const auto renewed = keys().regenerate_secret("app-1", KeyType::production);
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed->client->client_id, first.client->client_id);
  EXPECT_NE(renewed->secret, first.secret);
  EXPECT_EQ(client_credentials_with(first.client->client_id, first.secret).status, 401);
  EXPECT_EQ(client_credentials_with(first.client->client_id, renewed->secret).status, 200);
  // The client found before keeps what it was; the store has the new hash.
  EXPECT_TRUE(client_secret_matches(first.secret, first.client->secret_hash));
  ASSERT_EQ(stored_clients().size(), 1u);
  EXPECT_EQ(stored_clients()[0].secret_hash, renewed->client->secret_hash);

  start();  // and so after a restart
  EXPECT_EQ(client_credentials_with(first.client->client_id, first.secret).status, 401);
  EXPECT_EQ(client_credentials_with(first.client->client_id, renewed->secret).status, 200);
}

TEST_F(ApplicationKeysTest, AnUpdateReplacesTheSettingsKeepsTheSecretAndOutlivesARestart) {
  const IssuedKey made = generated(KeyRequest{.application_id = "app-1", .scopes = {"read"}});
  const std::string id = made.client->client_id;
  auto updated = keys().update(KeyRequest{.application_id = "app-1",
                                          .grant_types = {"password", "refresh_token"},
                                          .scopes = {"read", "write"},
                                          .access_token_lifetime = seconds(600)});
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ((*updated)->client_id, id);
  EXPECT_EQ((*updated)->grant_types, (std::vector<std::string>{"password", "refresh_token"}));
  EXPECT_EQ((*updated)->access_token_lifetime, seconds(600));
  // client_credentials is no longer among its grants; the secret still authenticates it.
  const OAuthAnswer refused = client_credentials_with(id, made.secret);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("unauthorized_client"));

  start();
  const ClientPtr kept = context().clients()->find(id);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_TRUE(client_secret_matches(made.secret, kept->secret_hash));
}

TEST_F(ApplicationKeysTest, AnUpdateIsCheckedAsAGenerateIsAndChangesNothingWhenRefused) {
  const IssuedKey made = generated_for("app-1");
  EXPECT_EQ(
      keys().update(KeyRequest{.application_id = "app-1", .grant_types = {"magic"}}).error().kind,
      KeyRefusal::invalid);
  EXPECT_EQ(keys().update(KeyRequest{.application_id = "app-2"}).error().kind,
            KeyRefusal::not_found);
  EXPECT_EQ(context().clients()->find(made.client->client_id)->grant_types,
            (std::vector<std::string>{"client_credentials"}));
}

TEST_F(ApplicationKeysTest, ANewSecretForAKeyThatDoesNotExistIsNotFound) {
  generated_for("app-1", KeyType::production);
  const auto renewed = keys().regenerate_secret("app-1", KeyType::sandbox);
  ASSERT_FALSE(renewed);
  EXPECT_EQ(renewed.error().kind, KeyRefusal::not_found);
  EXPECT_THAT(renewed.error().message, HasSubstr("SANDBOX"));
  EXPECT_EQ(keys().regenerate_secret("app-9", KeyType::production).error().kind,
            KeyRefusal::not_found);
}

TEST_F(ApplicationKeysTest, ARemovedKeyIsNoLongerServedAndThenNotFound) {
  const IssuedKey issued = generated_for("app-1");
  const auto removed = keys().remove("app-1", KeyType::production);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ((*removed)->client_id, issued.client->client_id);
  EXPECT_EQ(context().clients()->find(issued.client->client_id), nullptr);
  EXPECT_EQ(context().clients()->find_key("app-1", KeyType::production), nullptr);
  EXPECT_TRUE(keys().of_application("app-1").empty());
  EXPECT_TRUE(stored_clients().empty());
  EXPECT_EQ(client_credentials_with(issued.client->client_id, issued.secret).status, 401);

  const auto again = keys().remove("app-1", KeyType::production);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, KeyRefusal::not_found);
  EXPECT_EQ(keys().regenerate_secret("app-1", KeyType::production).error().kind,
            KeyRefusal::not_found);
  // The key type is free again.
  EXPECT_NE(generated_for("app-1").client->client_id, issued.client->client_id);
}

TEST_F(ApplicationKeysTest, AnOpaqueFormatRequestMakesAClientOfOpaqueTokens) {
  const IssuedKey issued = generated(
      KeyRequest{.application_id = "app-1", .access_token_format = AccessTokenFormat::opaque});
  EXPECT_EQ(issued.client->access_token_format, AccessTokenFormat::opaque);
  EXPECT_EQ(stored_clients().at(0).access_token_format, "opaque");

  const OAuthAnswer answer = client_credentials_with(issued.client->client_id, issued.secret);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string token = string_member(body_of(answer), "access_token");
  EXPECT_FALSE(token.empty());
  EXPECT_FALSE(jose::decode_jws(token));  // not a JWT
}

TEST_F(ApplicationKeysTest, KeysSurviveARestartAndAreListedAsRegisteredButTheFilesAreNot) {
  declare_file_key();
  const IssuedKey production = generated_for("app-1", KeyType::production);
  const IssuedKey opaque = generated(KeyRequest{.application_id = "app-2",
                                                .key_type = KeyType::sandbox,
                                                .scopes = {"read"},
                                                .access_token_format = AccessTokenFormat::opaque,
                                                .access_token_lifetime = seconds(120)});

  start();
  const ClientPtr kept = context().clients()->find_key("app-2", KeyType::sandbox);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->client_id, opaque.client->client_id);
  EXPECT_EQ(kept->secret_hash, opaque.client->secret_hash);
  EXPECT_THAT(kept->scopes, ElementsAre("read"));
  EXPECT_EQ(kept->access_token_format, AccessTokenFormat::opaque);
  EXPECT_EQ(kept->access_token_lifetime, seconds(120));
  EXPECT_EQ(client_credentials_with(production.client->client_id, production.secret).status, 200);

  std::vector<std::string> registered;
  for (const ClientPtr& client : keys().registered()) registered.push_back(client->client_id);
  std::ranges::sort(registered);
  std::vector<std::string> expected{production.client->client_id, opaque.client->client_id};
  std::ranges::sort(expected);
  EXPECT_EQ(registered, expected);  // not "file-key", nor the file's clients of no application
  // A second key of a kept one's type is still a conflict.
  EXPECT_EQ(refusal_of(KeyRequest{.application_id = "app-1"}), KeyRefusal::conflict);
}

TEST_F(ApplicationKeysTest, AKeyAnotherProcessRegisteredInTheStoreIsServedFromTheNextStart) {
  const ClientSecret secret = generate_client_secret();
  const Client other{.client_id = "made-elsewhere-000000000",
                     .secret_hash = secret.hash,
                     .grant_types = {"client_credentials"},
                     .application_id = "app-1",
                     .key_type = KeyType::production};
  const auto put = store_->run_blocking(
      [record = record_of(other, now_)](GrantStore& store) { return store.put_client(record); });
  ASSERT_TRUE(put && *put);

  // This process has not loaded it: its own key of that type is refused by the store.
  EXPECT_EQ(refusal_of(KeyRequest{.application_id = "app-1"}), KeyRefusal::conflict);
  EXPECT_EQ(stored_clients().size(), 1u);

  start();
  const ClientPtr loaded = context().clients()->find_key("app-1", KeyType::production);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->client_id, other.client_id);
  EXPECT_EQ(client_credentials_with(other.client_id, secret.secret).status, 200);
  ASSERT_EQ(keys().registered().size(), 1u);
}

TEST(RegisteredClientTest, AClientComesBackFromItsRecordAsItWas) {
  const Client client{.client_id = "key-1",
                      .secret_hash = hash_client_secret("s"),
                      .grant_types = {"authorization_code", "refresh_token"},
                      .scopes = {"read", "orders:write"},
                      .redirect_uris = {"https://app.example/cb", "http://127.0.0.1:7000/cb"},
                      .access_token_lifetime = seconds(300),
                      .refresh_token_lifetime = seconds(86400),
                      .access_token_format = AccessTokenFormat::opaque,
                      .application_id = "app 1",
                      .key_type = KeyType::sandbox};
  const ClientRecord record = record_of(client, 1234);
  EXPECT_EQ(record.key_type, "SANDBOX");
  EXPECT_EQ(record.grant_types, "authorization_code refresh_token");
  EXPECT_EQ(record.access_token_format, "opaque");
  EXPECT_EQ(record.created_at, 1234);

  const auto back = client_of(record);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->client_id, client.client_id);
  EXPECT_EQ(back->secret_hash, client.secret_hash);
  EXPECT_FALSE(back->public_client);
  EXPECT_EQ(back->grant_types, client.grant_types);
  EXPECT_EQ(back->scopes, client.scopes);
  EXPECT_EQ(back->redirect_uris, client.redirect_uris);
  EXPECT_EQ(back->access_token_lifetime, client.access_token_lifetime);
  EXPECT_EQ(back->refresh_token_lifetime, client.refresh_token_lifetime);
  EXPECT_EQ(back->access_token_format, AccessTokenFormat::opaque);
  EXPECT_EQ(back->application_id, "app 1");
  EXPECT_EQ(back->key_type, KeyType::sandbox);
}

TEST(RegisteredClientTest, EmptyListsComeBackEmpty) {
  const Client client{.client_id = "key-2",
                      .secret_hash = hash_client_secret("s"),
                      .grant_types = {"client_credentials"},
                      .application_id = "app-2"};
  const auto back = client_of(record_of(client, 0));
  ASSERT_TRUE(back) << back.error();
  EXPECT_TRUE(back->scopes.empty());
  EXPECT_TRUE(back->redirect_uris.empty());
  EXPECT_EQ(back->access_token_format, AccessTokenFormat::jwt);
  EXPECT_EQ(back->key_type, KeyType::production);
}

TEST(RegisteredClientTest, ARecordOfAnUnknownKeyTypeOrTokenFormatIsRefusedByName) {
  ClientRecord record = record_of(
      Client{.client_id = "key-3", .secret_hash = hash_client_secret("s"), .application_id = "a"},
      0);
  record.key_type = "STAGING";
  auto refused = client_of(record);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), HasSubstr("'key-3'"));
  EXPECT_THAT(refused.error(), HasSubstr("key type"));

  record.key_type = "PRODUCTION";
  record.access_token_format = "paseto";
  refused = client_of(record);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), HasSubstr("'key-3'"));
  EXPECT_THAT(refused.error(), HasSubstr("access token format"));
}

}  // namespace
}  // namespace gatehouse::keymanager::application_keys_test
