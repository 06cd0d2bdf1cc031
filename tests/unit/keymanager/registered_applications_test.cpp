// The applications made through the admin listener and the listener's subscription changes, kept
// in the key manager's store: an id and an owner's name taken once, an application removed with
// the keys the key manager made for it (the token endpoint refuses them at once) but not a client
// the config file declares, the changes read back as made, across a restart, and a stored state
// this build does not know refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "key_manager_fixture.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/registered_applications.h"
#include "keymanager/server/token_endpoint.h"

namespace gatehouse::keymanager::registered_applications_test {
namespace {

using namespace fixture;
using identity::KeyType;
using identity::SubscriptionState;
using ::testing::HasSubstr;

class RegisteredApplicationsTest : public KeyManagerTest {
 protected:
  RegisteredApplications registered() { return RegisteredApplications(context()); }

  static identity::Application application_named(std::string id, std::string name,
                                                 std::string owner = "alice") {
    return identity::Application{
        .id = std::move(id), .name = std::move(name), .owner = std::move(owner), .tier = "Gold"};
  }

  bool added(const identity::Application& application) {
    auto result = registered().add(application);
    if (!result) throw std::runtime_error(result.error());
    return *result;
  }

  std::vector<identity::Application> listed() {
    auto result = registered().applications();
    if (!result) throw std::runtime_error(result.error());
    return std::move(*result);
  }

  std::vector<security::SubscriptionChange> kept_changes() {
    auto result = registered().subscription_changes();
    if (!result) throw std::runtime_error(result.error());
    return std::move(*result);
  }

  void keep(security::SubscriptionChange change) {
    auto result = registered().keep(change);
    if (!result) throw std::runtime_error(result.error());
  }

  keymanager::IssuedKey generated_key(std::string application_id, KeyType type) {
    auto issued = ApplicationKeys(context()).generate(
        KeyRequest{.application_id = std::move(application_id), .key_type = type});
    if (!issued) throw std::runtime_error(issued.error().message);
    return std::move(*issued);
  }

  // The token endpoint's status for a client_credentials request with these credentials.
  int token_status(std::string_view id, std::string_view secret) {
    const Request request{.body = form({{"grant_type", "client_credentials"}}),
                          .authorization = basic(id, secret)};
    return run(TokenEndpoint(context()).handle(request.view())).status;
  }

  std::vector<std::string> stored_client_ids() {
    auto records = store_->run_blocking([](GrantStore& store) { return store.clients(); });
    if (!records) throw std::runtime_error(records.error().describe());
    std::vector<std::string> ids;
    for (const ClientRecord& record : *records) ids.push_back(record.client_id);
    return ids;
  }
};

security::SubscriptionChange put_change(std::string application_id, std::string api,
                                        std::string tier,
                                        SubscriptionState state = SubscriptionState::unblocked) {
  identity::Subscription subscription{application_id, api, std::move(tier), state};
  return security::SubscriptionChange{std::move(application_id), std::move(api),
                                      std::move(subscription)};
}

security::SubscriptionChange removal(std::string application_id, std::string api) {
  return security::SubscriptionChange{std::move(application_id), std::move(api), std::nullopt};
}

TEST_F(RegisteredApplicationsTest, AnAddedApplicationIsListedAsMadeAndOutlivesARestart) {
  EXPECT_TRUE(listed().empty());
  ASSERT_TRUE(added(application_named("reg-2", "Weather", "bob")));
  ASSERT_TRUE(added({.id = "reg-1", .name = "Pizza", .owner = "alice", .tier = "Unlimited"}));

  std::vector<identity::Application> applications = listed();
  ASSERT_EQ(applications.size(), 2u);
  EXPECT_EQ(applications[0].id, "reg-1");
  EXPECT_EQ(applications[0].name, "Pizza");
  EXPECT_EQ(applications[0].owner, "alice");
  EXPECT_EQ(applications[0].tier, "Unlimited");
  EXPECT_TRUE(applications[0].keys.empty());
  EXPECT_EQ(applications[1].id, "reg-2");
  EXPECT_EQ(applications[1].tier, "Gold");
  const auto records = store_->run_blocking([](GrantStore& store) { return store.applications(); });
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].created_at, now_);

  start();
  applications = listed();
  ASSERT_EQ(applications.size(), 2u);
  EXPECT_EQ(applications[0].id, "reg-1");
  EXPECT_EQ(applications[1].name, "Weather");
}

TEST_F(RegisteredApplicationsTest, ATakenIdOrAnOwnersTakenNameAddsNothing) {
  ASSERT_TRUE(added(application_named("reg-1", "Pizza", "alice")));
  EXPECT_FALSE(added(application_named("reg-1", "Other", "bob")));
  EXPECT_FALSE(added(application_named("reg-2", "Pizza", "alice")));
  // Another owner may use the name.
  EXPECT_TRUE(added(application_named("reg-3", "Pizza", "bob")));

  const std::vector<identity::Application> applications = listed();
  ASSERT_EQ(applications.size(), 2u);
  EXPECT_EQ(applications[0].id, "reg-1");
  EXPECT_EQ(applications[0].name, "Pizza");
  EXPECT_EQ(applications[0].owner, "alice");
  EXPECT_EQ(applications[1].id, "reg-3");
}

TEST_F(RegisteredApplicationsTest, RemoveTakesTheKeysMadeForItButNotAClientOfTheConfigFile) {
  extra_clients_.push_back(Client{.client_id = "file-key",
                                  .secret_hash = hash_client_secret("file-secret"),
                                  .grant_types = {"client_credentials"},
                                  .application_id = "reg-1",
                                  .key_type = KeyType::production});
  start();
  ASSERT_TRUE(added(application_named("reg-1", "Pizza")));
  ASSERT_TRUE(added(application_named("reg-2", "Weather")));
  const keymanager::IssuedKey sandbox = generated_key("reg-1", KeyType::sandbox);
  const keymanager::IssuedKey other = generated_key("reg-2", KeyType::production);
  const std::string sandbox_id = sandbox.client->client_id;
  ASSERT_EQ(token_status(sandbox_id, sandbox.secret), 200);

  const auto removed = registered().remove("reg-1");
  ASSERT_TRUE(removed) << removed.error();
  EXPECT_TRUE(*removed);
  // The key made for it is refused from the next request on; the file's client and another
  // application's key are served as before.
  EXPECT_EQ(token_status(sandbox_id, sandbox.secret), 401);
  EXPECT_EQ(context().clients()->find(sandbox_id), nullptr);
  EXPECT_NE(context().clients()->find("file-key"), nullptr);
  EXPECT_EQ(token_status("file-key", "file-secret"), 200);
  EXPECT_EQ(token_status(other.client->client_id, other.secret), 200);
  EXPECT_EQ(stored_client_ids(), std::vector<std::string>{other.client->client_id});
  const std::vector<identity::Application> applications = listed();
  ASSERT_EQ(applications.size(), 1u);
  EXPECT_EQ(applications[0].id, "reg-2");

  // Gone for good: again, it is not there; after a restart its key is still refused.
  const auto again = registered().remove("reg-1");
  ASSERT_TRUE(again) << again.error();
  EXPECT_FALSE(*again);
  start();
  EXPECT_EQ(token_status(sandbox_id, sandbox.secret), 401);
  EXPECT_EQ(token_status("file-key", "file-secret"), 200);
  EXPECT_EQ(token_status(other.client->client_id, other.secret), 200);
  // Its type of key is free to be made again for an application of that id.
  ASSERT_TRUE(added(application_named("reg-1", "Pizza")));
  EXPECT_NE(generated_key("reg-1", KeyType::sandbox).client->client_id, sandbox_id);
}

TEST_F(RegisteredApplicationsTest, RemoveTakesTheApplicationsSubscriptionChanges) {
  ASSERT_TRUE(added(application_named("reg-1", "Pizza")));
  keep(put_change("reg-1", "Shop:1.0", "Gold"));
  keep(removal("reg-1", "Cart:2.0"));
  keep(put_change("app-file", "Shop:1.0", "Silver"));
  ASSERT_EQ(kept_changes().size(), 3u);

  ASSERT_TRUE(registered().remove("reg-1"));
  const std::vector<security::SubscriptionChange> changes = kept_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].application_id, "app-file");
  EXPECT_EQ(changes[0].api, "Shop:1.0");
}

TEST_F(RegisteredApplicationsTest, AKeptChangeIsReadBackAsMadeAndTheNextReplacesIt) {
  keep(put_change("app-2", "Shop:1.0", "Gold", SubscriptionState::prod_only_blocked));
  keep(removal("app-1", "Cart:2.0"));
  keep(put_change("app-1", "Shop:1.0", "Silver", SubscriptionState::blocked));

  std::vector<security::SubscriptionChange> changes = kept_changes();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].application_id, "app-1");
  EXPECT_EQ(changes[0].api, "Cart:2.0");
  EXPECT_FALSE(changes[0].subscription);
  EXPECT_EQ(changes[1].api, "Shop:1.0");
  ASSERT_TRUE(changes[1].subscription);
  EXPECT_EQ(changes[1].subscription->application_id, "app-1");
  EXPECT_EQ(changes[1].subscription->api, "Shop:1.0");
  EXPECT_EQ(changes[1].subscription->tier, "Silver");
  EXPECT_EQ(changes[1].subscription->state, SubscriptionState::blocked);
  EXPECT_EQ(changes[2].application_id, "app-2");
  ASSERT_TRUE(changes[2].subscription);
  EXPECT_EQ(changes[2].subscription->state, SubscriptionState::prod_only_blocked);

  // The next change for an application and API replaces the one before: a removal a put, a put a
  // removal.
  keep(removal("app-1", "Shop:1.0"));
  keep(put_change("app-1", "Cart:2.0", "Gold", SubscriptionState::on_hold));
  start();
  changes = kept_changes();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].api, "Cart:2.0");
  ASSERT_TRUE(changes[0].subscription);
  EXPECT_EQ(changes[0].subscription->tier, "Gold");
  EXPECT_EQ(changes[0].subscription->state, SubscriptionState::on_hold);
  EXPECT_EQ(changes[1].api, "Shop:1.0");
  EXPECT_FALSE(changes[1].subscription);
}

TEST_F(RegisteredApplicationsTest, EveryStateIsKeptUnderItsOwnName) {
  const SubscriptionState states[] = {SubscriptionState::unblocked, SubscriptionState::blocked,
                                      SubscriptionState::prod_only_blocked,
                                      SubscriptionState::on_hold, SubscriptionState::rejected};
  for (size_t i = 0; i < std::size(states); ++i) {
    keep(put_change("app-1", "Api" + std::to_string(i) + ":1.0", "Gold", states[i]));
  }
  const std::vector<security::SubscriptionChange> changes = kept_changes();
  ASSERT_EQ(changes.size(), std::size(states));
  for (size_t i = 0; i < std::size(states); ++i) {
    ASSERT_TRUE(changes[i].subscription) << i;
    EXPECT_EQ(changes[i].subscription->state, states[i]) << changes[i].api;
  }
}

TEST_F(RegisteredApplicationsTest, AStoredStateThisBuildDoesNotKnowIsRefusedByName) {
  keep(put_change("app-1", "Cart:2.0", "Gold"));
  // As a later build, or a hand, may have written it.
  const auto written = store_->run_blocking([](GrantStore& store) {
    return store.put_subscription_change({.application_id = "app-1",
                                          .api = "Shop:1.0",
                                          .removed = false,
                                          .tier = "Gold",
                                          .state = "PAUSED"});
  });
  ASSERT_TRUE(written) << written.error().describe();

  const auto changes = registered().subscription_changes();
  ASSERT_FALSE(changes);
  EXPECT_THAT(changes.error(), HasSubstr("'PAUSED'"));
  EXPECT_THAT(changes.error(), HasSubstr("'app-1'"));
  EXPECT_THAT(changes.error(), HasSubstr("'Shop:1.0'"));

  // A removal's state is not read: one written without a state is read back.
  const auto removed = store_->run_blocking([](GrantStore& store) {
    return store.put_subscription_change(
        {.application_id = "app-1", .api = "Shop:1.0", .removed = true});
  });
  ASSERT_TRUE(removed) << removed.error().describe();
  const std::vector<security::SubscriptionChange> read = kept_changes();
  ASSERT_EQ(read.size(), 2u);
  EXPECT_FALSE(read[1].subscription);
}

}  // namespace
}  // namespace gatehouse::keymanager::registered_applications_test
