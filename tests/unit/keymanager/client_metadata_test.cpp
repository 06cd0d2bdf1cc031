// The client metadata of dynamic registration (RFC 7591 section 2): what the policy opens, the
// defaults, the pairing of grant and response types, and the refusals' error codes.
#include "keymanager/server/client_metadata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace gatehouse::keymanager {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const RegistrationPolicy policy{
    .grant_types = {"authorization_code", "refresh_token", "client_credentials", "implicit"},
    .scopes = {"read", "write"}};

std::expected<ClientMetadata, MetadataError> read(std::string_view body) {
  return read_client_metadata(json::parse(body).as_object(), policy);
}

// The error code of the refusal of `body`, or a failure if it is taken.
std::string refusal(std::string_view body) {
  const auto read_back = read(body);
  EXPECT_FALSE(read_back) << body;
  return read_back ? std::string() : std::string(read_back.error().error);
}

TEST(ClientMetadata, DefaultsToTheAuthorizationCodeWithASecret) {
  const auto read_back = read(R"({"redirect_uris": ["https://app.example/cb"]})");
  ASSERT_TRUE(read_back) << read_back.error().description;
  EXPECT_THAT(read_back->grant_types, ElementsAre("authorization_code"));
  EXPECT_THAT(read_back->response_types, ElementsAre("code"));
  EXPECT_EQ(read_back->token_endpoint_auth_method, "client_secret_basic");
  EXPECT_FALSE(read_back->public_client());
}

TEST(ClientMetadata, ResponseTypesFollowTheGrantTypesWhenLeftOut) {
  const auto read_back = read(R"({"grant_types": ["client_credentials"]})");
  ASSERT_TRUE(read_back) << read_back.error().description;
  EXPECT_TRUE(read_back->response_types.empty());
  EXPECT_TRUE(read_back->redirect_uris.empty());
}

TEST(ClientMetadata, OpenidIsOpenToTheAuthorizationCodeAndNotKeptAsAScope) {
  const auto read_back =
      read(R"({"redirect_uris": ["http://127.0.0.1:8400/cb"], "scope": "openid read read"})");
  ASSERT_TRUE(read_back) << read_back.error().description;
  EXPECT_THAT(read_back->scopes, ElementsAre("read"));
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"], "scope": "openid"})"),
            "invalid_client_metadata");
}

TEST(ClientMetadata, DescriptiveMembersAreKeptAndUnknownOnesIgnored) {
  const auto read_back = read(R"({"redirect_uris": ["https://app.example/cb"],
      "client_name": "Kiosk", "contacts": ["ops@app.example"], "colour": "blue"})");
  ASSERT_TRUE(read_back) << read_back.error().description;
  EXPECT_EQ(read_back->descriptive.at("client_name").as_string(), "Kiosk");
  EXPECT_EQ(read_back->descriptive.at("contacts").as_array().size(), 1u);
  EXPECT_FALSE(read_back->descriptive.contains("colour"));
  const json::value kept = json::parse(kept_metadata(*read_back));
  EXPECT_EQ(kept.at("client_name").as_string(), "Kiosk");
  EXPECT_EQ(kept.at("token_endpoint_auth_method").as_string(), "client_secret_basic");
}

TEST(ClientMetadata, ARedirectUriThatIsNotAllowedIsInvalidRedirectUri) {
  EXPECT_EQ(refusal(R"({"redirect_uris": ["http://app.example/cb"]})"), "invalid_redirect_uri");
  EXPECT_EQ(refusal(R"({"redirect_uris": ["https://app.example/cb#x"]})"), "invalid_redirect_uri");
  EXPECT_EQ(refusal(R"({"grant_types": ["authorization_code"]})"), "invalid_redirect_uri");
}

TEST(ClientMetadata, WhatThePolicyDoesNotOpenIsInvalidClientMetadata) {
  EXPECT_EQ(refusal(R"({"grant_types": ["password"]})"), "invalid_client_metadata");
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"], "scope": "admin"})"),
            "invalid_client_metadata");
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"],
                        "token_endpoint_auth_method": "private_key_jwt"})"),
            "invalid_client_metadata");
}

TEST(ClientMetadata, GrantAndResponseTypesMustPair) {
  EXPECT_EQ(refusal(R"({"redirect_uris": ["https://app.example/cb"],
                        "response_types": ["token"]})"),
            "invalid_client_metadata");
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"], "response_types": ["code"]})"),
            "invalid_client_metadata");
  const auto both = read(R"({"redirect_uris": ["https://app.example/cb"],
      "grant_types": ["authorization_code", "implicit"], "response_types": ["token", "code"]})");
  EXPECT_TRUE(both) << both.error().description;
}

TEST(ClientMetadata, APublicClientHasNoClientCredentialsGrant) {
  const auto read_back = read(R"({"grant_types": ["client_credentials"],
                                  "token_endpoint_auth_method": "none"})");
  ASSERT_FALSE(read_back);
  EXPECT_THAT(read_back.error().description, HasSubstr("public client"));
}

TEST(ClientMetadata, MembersOfTheWrongTypeAreRefused) {
  EXPECT_EQ(refusal(R"({"redirect_uris": "https://app.example/cb"})"), "invalid_client_metadata");
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"], "scope": ["read"]})"),
            "invalid_client_metadata");
  EXPECT_EQ(refusal(R"({"grant_types": ["client_credentials"], "client_name": 7})"),
            "invalid_client_metadata");
}

TEST(ClientMetadata, TheAnswerShowsTheSecretOnlyWhenGivenAndItsExpiryForAConfidentialClient) {
  Client client{.client_id = "c-1",
                .secret_hash = "sha256:" + std::string(64, 'a'),
                .grant_types = {"client_credentials"},
                .scopes = {"read", "write"}};
  client.self_registration = SelfRegistration{.token_hash = "sha256:" + std::string(64, 'b'),
                                              .metadata = R"({"client_name":"Kiosk"})",
                                              .issued_at = 1000};
  const json::object made = registration_json(client, "s3cret", "rat", "https://gw/r/c-1");
  EXPECT_EQ(made.at("client_secret").as_string(), "s3cret");
  EXPECT_EQ(made.at("registration_access_token").as_string(), "rat");
  EXPECT_EQ(made.at("scope").as_string(), "read write");
  EXPECT_EQ(made.at("client_name").as_string(), "Kiosk");
  EXPECT_EQ(made.at("client_id_issued_at").as_int64(), 1000);

  const json::object read_back = registration_json(client, {}, {}, "https://gw/r/c-1");
  EXPECT_FALSE(read_back.contains("client_secret"));
  EXPECT_FALSE(read_back.contains("registration_access_token"));
  EXPECT_EQ(read_back.at("client_secret_expires_at").as_int64(), 0);
}

}  // namespace
}  // namespace gatehouse::keymanager
