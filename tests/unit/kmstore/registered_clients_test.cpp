// The registered clients: one per application and key type, changed only by their client id,
// and kept across a reopening of the file.
#include <gtest/gtest.h>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::open_store;
using fixtures::registered_client;

class RegisteredClientsTest : public ::testing::Test {
 protected:
  fixtures::TempDir dir_;
  std::unique_ptr<SqliteGrantStore> store_ = open_store(dir_.file("grants.db"));
};

TEST_F(RegisteredClientsTest, AClientIsListedAsPut) {
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1")));

  const auto clients = store_->clients();
  ASSERT_TRUE(clients) << clients.error().describe();
  ASSERT_EQ(clients->size(), 1u);
  const ClientRecord& client = clients->front();
  EXPECT_EQ(client.client_id, "client-1");
  EXPECT_EQ(client.application_id, "app-1");
  EXPECT_EQ(client.key_type, "PRODUCTION");
  EXPECT_EQ(client.grant_types, "client_credentials refresh_token");
  EXPECT_EQ(client.scopes, "read write");
  EXPECT_EQ(client.access_token_format, "jwt");
  EXPECT_EQ(client.access_token_lifetime, 3600);
  EXPECT_EQ(client.refresh_token_lifetime, 86400);
  EXPECT_EQ(client.created_at, 100);
}

TEST_F(RegisteredClientsTest, ASelfRegisteredPublicClientKeepsItsRegistration) {
  ClientRecord registered = registered_client("client-1", "app-1");
  registered.secret_hash.clear();
  registered.public_client = true;
  registered.registration_token_hash = "sha256:" + std::string(64, 'c');
  registered.registration_metadata = R"({"client_name":"Kiosk"})";
  ASSERT_TRUE(*store_->put_client(registered));

  const ClientRecord kept = store_->clients()->front();
  EXPECT_TRUE(kept.public_client);
  EXPECT_EQ(kept.secret_hash, "");
  EXPECT_EQ(kept.registration_token_hash, registered.registration_token_hash);
  EXPECT_EQ(kept.registration_metadata, registered.registration_metadata);

  registered.registration_metadata = R"({"client_name":"Kiosk 2"})";
  ASSERT_TRUE(*store_->replace_client(registered));
  EXPECT_EQ(store_->clients()->front().registration_metadata, registered.registration_metadata);
}

TEST_F(RegisteredClientsTest, AnApplicationHasOneClientPerKeyType) {
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1", "PRODUCTION")));
  EXPECT_TRUE(*store_->put_client(registered_client("client-2", "app-1", "SANDBOX")));

  EXPECT_FALSE(*store_->put_client(registered_client("client-3", "app-1", "SANDBOX")));
  EXPECT_FALSE(*store_->put_client(registered_client("client-1", "app-2")));
  EXPECT_EQ(store_->clients()->size(), 2u);
}

TEST_F(RegisteredClientsTest, ReplacingChangesTheSecretAndSettingsNotTheOwner) {
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1")));
  ClientRecord changed = registered_client("client-1", "app-1");
  changed.secret_hash = "sha256:" + std::string(64, 'b');
  changed.access_token_format = "opaque";
  ASSERT_TRUE(*store_->replace_client(changed));
  EXPECT_EQ(store_->clients()->front().secret_hash, changed.secret_hash);
  EXPECT_EQ(store_->clients()->front().access_token_format, "opaque");

  // The same id under another application or key type is not that client.
  EXPECT_FALSE(*store_->replace_client(registered_client("client-1", "app-2")));
  EXPECT_FALSE(*store_->replace_client(registered_client("client-1", "app-1", "SANDBOX")));
  EXPECT_FALSE(*store_->replace_client(registered_client("client-9", "app-1")));
}

TEST_F(RegisteredClientsTest, ARemovedClientFreesItsKeyType) {
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1")));
  EXPECT_TRUE(*store_->remove_client("client-1"));
  EXPECT_FALSE(*store_->remove_client("client-1"));
  EXPECT_TRUE(store_->clients()->empty());
  EXPECT_TRUE(*store_->put_client(registered_client("client-2", "app-1")));
}

TEST_F(RegisteredClientsTest, AKeyTypeOtherThanProductionOrSandboxIsRefused) {
  EXPECT_FALSE(store_->put_client(registered_client("client-1", "app-1", "STAGING")));
}

TEST_F(RegisteredClientsTest, ClientsSurviveReopening) {
  ASSERT_TRUE(*store_->put_client(registered_client("client-1", "app-1")));
  store_.reset();
  store_ = open_store(dir_.file("grants.db"));
  ASSERT_EQ(store_->clients()->size(), 1u);
  EXPECT_EQ(store_->clients()->front().client_id, "client-1");
}

}  // namespace
}  // namespace gatehouse::keymanager
