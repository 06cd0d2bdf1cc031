// The pieces under the endpoints: form parsing, client authentication by each method, client
// secrets, and scope arithmetic.
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/client_authentication.h"
#include "keymanager/server/client_directory.h"
#include "keymanager/server/client_secret.h"
#include "keymanager/server/form.h"
#include "keymanager/server/scope.h"

namespace gatehouse::keymanager::form_and_client_test {
namespace {

using fixture::basic;
using fixture::Request;

Form parsed(std::string body, std::string content_type = "application/x-www-form-urlencoded") {
  const Request request{.body = std::move(body), .content_type = std::move(content_type)};
  auto form = parse_form(request.view());
  if (!form) throw std::runtime_error(form.error().description);
  return std::move(*form);
}

OAuthErrorCode refusal(std::string body, std::string content_type) {
  const Request request{.body = std::move(body), .content_type = std::move(content_type)};
  auto form = parse_form(request.view());
  EXPECT_FALSE(form);
  return form ? OAuthErrorCode::server_error : form.error().code;
}

TEST(FormTest, DecodesPercentEscapesAndPlusAsSpace) {
  const Form form = parsed("scope=a+b%20c&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fx%3D1&plus=%2B");
  EXPECT_EQ(form.get("scope"), "a b c");
  EXPECT_EQ(form.get("redirect_uri"), "https://app/cb?x=1");
  EXPECT_EQ(form.get("plus"), "+");
  EXPECT_FALSE(form.get("absent"));
}

TEST(FormTest, AQueryEndsWhereItsViewEnds) {
  // As the transport hands it over: a view into the request head, which goes on after it.
  const std::string head = "a=1&state=xyz HTTP/1.1\r\nHost: gw\r\n\r\n";
  const auto form = parse_form_encoded(std::string_view(head).substr(0, 13));
  ASSERT_TRUE(form);
  EXPECT_EQ(form->get("a"), "1");
  EXPECT_EQ(form->get("state"), "xyz");
}

TEST(FormTest, AcceptsACharsetAndAnyCase) {
  EXPECT_EQ(parsed("a=1", "Application/X-WWW-Form-Urlencoded; charset=UTF-8").get("a"), "1");
}

TEST(FormTest, AnEmptyValueIsAbsentAndDoesNotCountAsARepeat) {
  const Form form = parsed("scope=&scope=read&flag");
  EXPECT_EQ(form.get("scope"), "read");
  EXPECT_FALSE(form.get("flag"));
}

TEST(FormTest, RefusesRepeatsOtherContentTypesAndBadEncoding) {
  EXPECT_EQ(refusal("a=1&a=2", "application/x-www-form-urlencoded"),
            OAuthErrorCode::invalid_request);
  EXPECT_EQ(refusal("a=1", "application/json"), OAuthErrorCode::invalid_request);
  EXPECT_EQ(refusal("a=1", ""), OAuthErrorCode::invalid_request);
  EXPECT_EQ(refusal("a=%zz", "application/x-www-form-urlencoded"), OAuthErrorCode::invalid_request);
}

class ClientAuthenticationTest : public ::testing::Test {
 protected:
  ClientAuthenticationTest() {
    auto built = ClientDirectory::build({
        Client{.client_id = "svc:1", .secret_hash = secret_.hash},
        Client{.client_id = "app", .public_client = true},
    });
    if (!built) throw std::runtime_error(built.error());
    clients_ = std::move(*built);
  }

  std::expected<ClientPtr, OAuthError> authenticate(const Request& request) {
    const Form form = parsed(request.body);
    return authenticate_client(request.view(), form, clients_);
  }

  ClientSecret secret_ = generate_client_secret();
  ClientDirectory clients_;
};

TEST_F(ClientAuthenticationTest, BasicCredentialsAreFormDecoded) {
  // RFC 6749 section 2.3.1: "svc:1" travels as "svc%3A1", so that the colon is not the separator.
  const auto client = authenticate(
      Request{.body = "grant_type=x", .authorization = basic("svc%3A1", secret_.secret)});
  ASSERT_TRUE(client) << client.error().description;
  EXPECT_EQ((*client)->client_id, "svc:1");
}

TEST_F(ClientAuthenticationTest, TheSchemeIsCaseInsensitive) {
  std::string authorization = basic("svc%3A1", secret_.secret);
  authorization.replace(0, 5, "bAsIc");
  EXPECT_TRUE(authenticate(Request{.body = "a=1", .authorization = authorization}));
}

TEST_F(ClientAuthenticationTest, ClientSecretPost) {
  EXPECT_TRUE(authenticate(Request{.body = "client_id=svc%3A1&client_secret=" + secret_.secret}));
}

TEST_F(ClientAuthenticationTest, APublicClientByItsIdAlone) {
  const auto client = authenticate(Request{.body = "client_id=app"});
  ASSERT_TRUE(client);
  EXPECT_TRUE((*client)->public_client);
  EXPECT_FALSE(authenticate(Request{.body = "client_id=app&client_secret=guess"}));
}

TEST_F(ClientAuthenticationTest, Refusals) {
  const auto code = [&](const Request& request) {
    const auto client = authenticate(request);
    EXPECT_FALSE(client);
    return client ? OAuthErrorCode::server_error : client.error().code;
  };
  EXPECT_EQ(code(Request{.body = "a=1", .authorization = basic("svc%3A1", "wrong")}),
            OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "client_id=svc%3A1"}), OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "a=1"}), OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "a=1", .authorization = "Bearer abc"}),
            OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "a=1", .authorization = "Basic !!!!"}),
            OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "a=1", .authorization = "Basic    "}),
            OAuthErrorCode::invalid_client);
  EXPECT_EQ(code(Request{.body = "client_secret=" + secret_.secret,
                         .authorization = basic("svc%3A1", secret_.secret)}),
            OAuthErrorCode::invalid_request);
  EXPECT_EQ(
      code(Request{.body = "client_id=app", .authorization = basic("svc%3A1", secret_.secret)}),
      OAuthErrorCode::invalid_request);
}

TEST(ClientDirectoryTest, RefusesClientsThatCannotAuthenticateAsDeclared) {
  EXPECT_FALSE(ClientDirectory::build({Client{.client_id = ""}}));
  EXPECT_FALSE(ClientDirectory::build({Client{.client_id = "a", .secret_hash = "plain"}}));
  EXPECT_FALSE(ClientDirectory::build(
      {Client{.client_id = "a", .secret_hash = hash_client_secret("s"), .public_client = true}}));
  EXPECT_FALSE(ClientDirectory::build({Client{.client_id = "a", .public_client = true},
                                       Client{.client_id = "a", .public_client = true}}));
}

// Two applications' keys and one client of no application, as a changed directory starts.
ClientDirectory keyed_directory() {
  auto built = ClientDirectory::build({
      Client{.client_id = "prod-1",
             .secret_hash = hash_client_secret("one"),
             .application_id = "app-1",
             .key_type = identity::KeyType::production},
      Client{.client_id = "sandbox-1",
             .secret_hash = hash_client_secret("two"),
             .application_id = "app-1",
             .key_type = identity::KeyType::sandbox},
      Client{.client_id = "spa", .public_client = true},
  });
  if (!built) throw std::runtime_error(built.error());
  return std::move(*built);
}

TEST(ClientDirectoryTest, FindKeyFindsAnApplicationsClientOfThatKeyTypeOnly) {
  const ClientDirectory directory = keyed_directory();
  ASSERT_NE(directory.find_key("app-1", identity::KeyType::production), nullptr);
  EXPECT_EQ(directory.find_key("app-1", identity::KeyType::production)->client_id, "prod-1");
  EXPECT_EQ(directory.find_key("app-1", identity::KeyType::sandbox)->client_id, "sandbox-1");
  EXPECT_EQ(directory.find_key("app-2", identity::KeyType::production), nullptr);
  EXPECT_EQ(directory.find_key("app", identity::KeyType::production), nullptr);
}

TEST(ClientDirectoryTest, WithAddsAClientAndLeavesTheOriginalUnchanged) {
  const ClientDirectory original = keyed_directory();
  const auto changed = original.with(Client{.client_id = "prod-2",
                                            .secret_hash = hash_client_secret("three"),
                                            .application_id = "app-2",
                                            .key_type = identity::KeyType::production});
  ASSERT_TRUE(changed) << changed.error();
  ASSERT_NE(changed->find("prod-2"), nullptr);
  EXPECT_EQ(changed->find_key("app-2", identity::KeyType::production)->client_id, "prod-2");
  EXPECT_EQ(changed->by_id().size(), 4u);
  EXPECT_EQ(original.find("prod-2"), nullptr);
  EXPECT_EQ(original.find_key("app-2", identity::KeyType::production), nullptr);
  EXPECT_EQ(original.by_id().size(), 3u);
  // The unchanged clients are shared, not copied.
  EXPECT_EQ(changed->find("prod-1"), original.find("prod-1"));
}

TEST(ClientDirectoryTest, WithReplacesTheClientOfItsIdAndAClientFoundBeforeStaysAsItWas) {
  auto original = std::make_shared<const ClientDirectory>(keyed_directory());
  const ClientPtr found = original->find("prod-1");  // a request in flight holds this
  Client renewed = *found;
  renewed.secret_hash = hash_client_secret("renewed");
  auto changed = original->with(renewed);
  ASSERT_TRUE(changed) << changed.error();
  original.reset();  // the directory swapped out and dropped

  EXPECT_EQ(changed->by_id().size(), 3u);
  EXPECT_TRUE(client_secret_matches("renewed", changed->find("prod-1")->secret_hash));
  EXPECT_FALSE(client_secret_matches("one", changed->find("prod-1")->secret_hash));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->client_id, "prod-1");
  EXPECT_TRUE(client_secret_matches("one", found->secret_hash));
  EXPECT_NE(changed->find("prod-1"), found);
}

TEST(ClientDirectoryTest, WithRefusesAClientThatBuildRefusesAndNamesIt) {
  const ClientDirectory directory = keyed_directory();
  EXPECT_FALSE(directory.with(Client{.client_id = ""}));
  const auto plain = directory.with(Client{.client_id = "key-9", .secret_hash = "plain"});
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().find("'key-9'"), std::string::npos) << plain.error();
  EXPECT_FALSE(directory.with(
      Client{.client_id = "key-9", .secret_hash = hash_client_secret("s"), .public_client = true}));
  // Nor may a change break a client that was fine.
  Client broken = *directory.find("prod-1");
  broken.secret_hash.clear();
  EXPECT_FALSE(directory.with(broken));
}

TEST(ClientDirectoryTest, WithoutRemovesThatClientOnlyAndLeavesTheOriginalUnchanged) {
  const ClientDirectory original = keyed_directory();
  const ClientPtr held = original.find("prod-1");
  const ClientDirectory changed = original.without("prod-1");
  EXPECT_EQ(changed.find("prod-1"), nullptr);
  EXPECT_EQ(changed.find_key("app-1", identity::KeyType::production), nullptr);
  EXPECT_NE(changed.find_key("app-1", identity::KeyType::sandbox), nullptr);
  EXPECT_NE(changed.find("spa"), nullptr);
  EXPECT_EQ(original.find("prod-1"), held);
  EXPECT_EQ(held->client_id, "prod-1");
  // An unknown id changes nothing.
  EXPECT_EQ(original.without("nobody").by_id().size(), 3u);
}

TEST(ClientSecretTest, GeneratedSecretsAreLongRandomAndMatchOnlyThemselves) {
  const ClientSecret one = generate_client_secret();
  const ClientSecret two = generate_client_secret();
  EXPECT_EQ(one.secret.size(), 43u);
  EXPECT_NE(one.secret, two.secret);
  EXPECT_TRUE(is_client_secret_hash(one.hash));
  EXPECT_TRUE(client_secret_matches(one.secret, one.hash));
  EXPECT_FALSE(client_secret_matches(two.secret, one.hash));
  EXPECT_FALSE(client_secret_matches(one.secret, "sha256:short"));
  // The hash is SHA-256 of the secret, as `printf %s secret | sha256sum` prints it.
  EXPECT_EQ(hash_client_secret("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ScopeTest, GrantsTheRequestedSubsetOrEverythingAllowed) {
  const std::vector<std::string> allowed{"read", "write"};
  EXPECT_EQ(grant_scope(std::nullopt, allowed), "read write");
  EXPECT_EQ(grant_scope("write  read write", allowed), "write read");
  EXPECT_EQ(grant_scope("admin", allowed).error().code, OAuthErrorCode::invalid_scope);
  EXPECT_EQ(grant_scope("re\"ad", {"re\"ad"}).error().code, OAuthErrorCode::invalid_scope);
}

}  // namespace
}  // namespace gatehouse::keymanager::form_and_client_test
