// /applications on the admin listener, with a real key manager on a SQLite store and a real
// application directory: an application made answers 201 with its Location, is kept in the store
// and admitted on every worker (install); a refused request makes nothing and reaches nobody; the
// config file's applications are listed beside the made ones and changed only in the file; a
// removed application takes its keys and subscriptions; without the key manager they are listed,
// not changed.
#include "admin/application_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cctype>
#include <stdexcept>

#include "key_manager_context.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/registered_applications.h"
#include "keymanager/server/server_context.h"
#include "keymanager/store/sqlite_grant_store.h"
#include "keymanager/store/store_thread.h"
#include "observability/metrics.h"
#include "security/auth/application_directory.h"

namespace gatehouse::admin::application_routes_test {
namespace {

namespace json = boost::json;
using identity::KeyType;
using test_support_km::object_of;
using test_support_km::text_of;
using ::testing::HasSubstr;

// The config file's one application, "app-1", with a key of the key manager "idp".
config::SecurityConfig file_applications() {
  config::SecurityConfig security;
  config::ApplicationConfig application;
  application.record = {.id = "app-1", .name = "Shop", .owner = "carol", .tier = "Gold"};
  application.record.keys = {{"idp", "file-client", KeyType::production}};
  security.applications.push_back(application);
  return security;
}

// Whether `text` is a version-4 UUID in its lowercase 36-character form.
bool is_random_uuid_text(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (text[i] == '-')) return false;
    if (!dash && !(std::isdigit(static_cast<unsigned char>(text[i])) ||
                   (text[i] >= 'a' && text[i] <= 'f'))) {
      return false;
    }
  }
  return text[14] == '4' && std::string_view("89ab").find(text[19]) != std::string_view::npos;
}

class ApplicationRoutesTest : public ::testing::Test {
 protected:
  ApplicationRoutesTest() {
    keys_ = std::make_unique<keymanager::ApplicationKeys>(*context_);
    registered_ = std::make_unique<keymanager::RegisteredApplications>(*context_);
    if (!directory_.prepare(file_applications())) throw std::runtime_error("bad applications");
    directory_.commit();
  }

  // The services of a gateway with the built-in key manager (or, `with_key_manager_` false,
  // without one).
  AdminResponse route(std::string_view method, std::string_view target,
                      std::string_view body = {}) {
    keymanager::RegisteredApplications* registered =
        with_key_manager_ ? registered_.get() : nullptr;
    const SubscriptionUpdates subscriptions{
        &directory_, [this](security::SubscriptionsPtr store) { installs_.push_back(store); },
        [](std::string_view tier) { return tier == "Gold" || tier == "Unlimited"; }, registered};
    AdminServices services{metrics_, [] { return true; }};
    services.subscriptions = subscriptions;
    if (with_key_manager_) services.application_keys = {keys_.get(), subscriptions};
    services.applications = {registered, subscriptions, [](std::string_view tier) {
                               return tier == "Gold" || tier == "Unlimited" || tier == "Bronze";
                             }};
    return route_admin_request({method, target, body}, services);
  }

  static std::string location_of(const AdminResponse& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "Location") return value;
    }
    return {};
  }

  // The 201 answer of a POST /applications, as an object, or a failure.
  json::object made(std::string_view body) {
    const AdminResponse response = route("POST", "/applications", body);
    if (response.status != 201) throw std::runtime_error("refused: " + response.body);
    return object_of(response);
  }

  std::vector<identity::Application> stored_applications() {
    auto applications = registered_->applications();
    if (!applications) throw std::runtime_error(applications.error());
    return std::move(*applications);
  }

  std::vector<security::SubscriptionChange> stored_changes() {
    auto changes = registered_->subscription_changes();
    if (!changes) throw std::runtime_error(changes.error());
    return std::move(*changes);
  }

  // How a POST /applications with `body` is refused, or a failure if it is not: its status and
  // description.
  std::pair<int, std::string> post_refused(std::string_view body) {
    const AdminResponse response = route("POST", "/applications", body);
    EXPECT_NE(response.status, 201) << body;
    if (response.status == 201) return {201, {}};
    return {response.status, text_of(object_of(response), "description")};
  }

  test_support_km::KeyManagerContext key_manager_{
      keymanager::Settings{.issuer = "https://km.example"}};
  keymanager::StoreThread* store_ = key_manager_.store();
  keymanager::ServerContext* context_ = key_manager_.context();
  std::unique_ptr<keymanager::ApplicationKeys> keys_;
  std::unique_ptr<keymanager::RegisteredApplications> registered_;
  security::ApplicationDirectory directory_;
  observability::Metrics metrics_{1, "test"};
  std::vector<security::SubscriptionsPtr> installs_;
  bool with_key_manager_ = true;
};

TEST_F(ApplicationRoutesTest, APostMakesTheApplicationKeepsItAndAdmitsItOnEveryWorker) {
  const AdminResponse response = route("POST", "/applications", R"({
      "name": "Pizza app", "owner": "alice", "throttlingPolicy": "Bronze",
      "applicationId": "pizza-app"})");
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(location_of(response), "/applications/pizza-app");
  EXPECT_EQ(json::parse(response.body), json::parse(R"({"applicationId":"pizza-app",
      "name":"Pizza app","owner":"alice","throttlingPolicy":"Bronze","source":"admin"})"));

  ASSERT_EQ(installs_.size(), 1u);
  EXPECT_EQ(installs_[0], directory_.current());
  const identity::StoredApplication* admitted = directory_.current()->find_application("pizza-app");
  ASSERT_NE(admitted, nullptr);
  EXPECT_TRUE(directory_.is_registered("pizza-app"));
  const std::vector<identity::Application> stored = stored_applications();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, "pizza-app");
  EXPECT_EQ(stored[0].name, "Pizza app");
  EXPECT_EQ(stored[0].owner, "alice");
  EXPECT_EQ(stored[0].tier, "Bronze");

  // Its Location answers it.
  const AdminResponse shown = route("GET", location_of(response));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(text_of(object_of(shown), "name"), "Pizza app");
}

TEST_F(ApplicationRoutesTest, OnlyTheNameIsRequiredTheRestHasDefaults) {
  const json::object first = made(R"({"name":"Weather"})");
  const std::string id = text_of(first, "applicationId");
  EXPECT_TRUE(is_random_uuid_text(id)) << id;
  EXPECT_EQ(text_of(first, "owner"), "admin");
  EXPECT_EQ(text_of(first, "throttlingPolicy"), "Unlimited");
  EXPECT_EQ(text_of(first, "source"), "admin");
  EXPECT_TRUE(directory_.is_registered(id));

  const AdminResponse second = route("POST", "/applications", R"({"name":"Weather 2"})");
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_id = text_of(object_of(second), "applicationId");
  EXPECT_TRUE(is_random_uuid_text(second_id)) << second_id;
  EXPECT_NE(second_id, id);
  EXPECT_EQ(location_of(second), "/applications/" + second_id);
  EXPECT_EQ(stored_applications().size(), 2u);
  EXPECT_EQ(installs_.size(), 2u);
}

TEST_F(ApplicationRoutesTest, ATierThatIsNotAnApplicationTierIsRefusedAndMakesNothing) {
  const auto [status, description] =
      post_refused(R"({"name":"Pizza app","throttlingPolicy":"Platinum"})");
  EXPECT_EQ(status, 400);
  EXPECT_THAT(description, HasSubstr("'Platinum' is not an application tier"));
  EXPECT_TRUE(stored_applications().empty());
  EXPECT_TRUE(installs_.empty());
  EXPECT_EQ(directory_.applications().size(), 1u);
}

TEST_F(ApplicationRoutesTest, ATakenIdOrAnOwnersTakenNameIsAConflictThatMakesNothing) {
  made(R"({"name":"Pizza app","owner":"alice","applicationId":"pizza-app"})");
  ASSERT_EQ(installs_.size(), 1u);

  auto [status, description] = post_refused(R"({"name":"Other","applicationId":"app-1"})");
  EXPECT_EQ(status, 409);
  EXPECT_THAT(description, HasSubstr("'app-1'"));
  std::tie(status, description) = post_refused(R"({"name":"Other","applicationId":"pizza-app"})");
  EXPECT_EQ(status, 409);
  EXPECT_THAT(description, HasSubstr("'pizza-app'"));
  std::tie(status, description) =
      post_refused(R"({"name":"Pizza app","owner":"alice","applicationId":"pizza-2"})");
  EXPECT_EQ(status, 409);
  EXPECT_THAT(description, HasSubstr("'alice'"));
  EXPECT_THAT(description, HasSubstr("'Pizza app'"));
  EXPECT_EQ(installs_.size(), 1u);
  EXPECT_FALSE(directory_.has_application("pizza-2"));
  EXPECT_EQ(stored_applications().size(), 1u);

  // Another owner may use the name.
  made(R"({"name":"Pizza app","owner":"bob","applicationId":"pizza-2"})");
  EXPECT_EQ(installs_.size(), 2u);
}

TEST_F(ApplicationRoutesTest, AnIdAnotherProcessKeptInTheStoreIsAConflict) {
  ASSERT_TRUE(registered_->add({.id = "elsewhere", .name = "Other", .owner = "x", .tier = "Gold"}));
  const auto [status, description] =
      post_refused(R"({"name":"Pizza app","applicationId":"elsewhere"})");
  EXPECT_EQ(status, 409);
  EXPECT_THAT(description, HasSubstr("'elsewhere'"));
  EXPECT_FALSE(directory_.has_application("elsewhere"));
  EXPECT_TRUE(installs_.empty());
  const std::vector<identity::Application> stored = stored_applications();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].name, "Other");
}

TEST_F(ApplicationRoutesTest, AnApplicationTheDirectoryRefusesIsNotLeftInTheStore) {
  // A key the key manager made for a "pizza-app" of an earlier run, which the file lists now as a
  // key of its own application: made again, pizza-app would hold it too.
  directory_.set_issued_keys({{"pizza-app", {"resident", "taken-key", KeyType::production}}});
  config::SecurityConfig security = file_applications();
  security.applications[0].record.keys.push_back({"resident", "taken-key", KeyType::sandbox});
  ASSERT_TRUE(directory_.prepare(security));
  directory_.commit();
  const security::SubscriptionsPtr before = directory_.current();

  const auto [status, description] =
      post_refused(R"({"name":"Pizza app","applicationId":"pizza-app"})");
  EXPECT_EQ(status, 400);
  EXPECT_THAT(description, HasSubstr("taken-key"));
  EXPECT_TRUE(stored_applications().empty());
  EXPECT_FALSE(directory_.has_application("pizza-app"));
  EXPECT_EQ(directory_.current(), before);
  EXPECT_TRUE(installs_.empty());
  // The name is free again for that owner.
  made(R"({"name":"Pizza app","applicationId":"pizza-3"})");
}

TEST_F(ApplicationRoutesTest, AMalformedBodyIsABadRequestThatMakesNothing) {
  const auto refused = [&](std::string_view body) {
    const auto [status, description] = post_refused(body);
    EXPECT_EQ(status, 400) << body << ": " << description;
    return description;
  };
  EXPECT_THAT(refused("not json"), HasSubstr("one JSON object"));
  EXPECT_THAT(refused(""), HasSubstr("one JSON object"));
  EXPECT_THAT(refused(R"(["name"])"), HasSubstr("one JSON object"));
  EXPECT_THAT(refused(R"({"name":"A","name":"B"})"), HasSubstr("each member once"));
  EXPECT_THAT(refused(R"({"name":"A","description":"B"})"),
              HasSubstr("unknown member 'description'"));
  EXPECT_THAT(refused(R"({})"), HasSubstr("\"name\" is required"));
  EXPECT_THAT(refused(R"({"owner":"alice"})"), HasSubstr("\"name\" is required"));
  EXPECT_THAT(refused(R"({"name":""})"), HasSubstr("\"name\" must be a string of 1 to 100"));
  EXPECT_THAT(refused(R"({"name":5})"), HasSubstr("\"name\" must be a string"));
  EXPECT_THAT(refused(R"({"name":null})"), HasSubstr("\"name\" must be a string"));
  EXPECT_THAT(refused(R"({"name":")" + std::string(101, 'n') + R"("})"),
              HasSubstr("1 to 100 printable characters"));
  EXPECT_THAT(refused(R"({"name":"two\nlines"})"), HasSubstr("printable"));
  EXPECT_THAT(refused(R"({"name":"A","owner":""})"), HasSubstr("\"owner\""));
  EXPECT_THAT(refused(R"({"name":"A","throttlingPolicy":7})"), HasSubstr("\"throttlingPolicy\""));
  EXPECT_THAT(refused(R"({"name":"A","applicationId":"a b"})"),
              HasSubstr("\"applicationId\" is 1 to 64"));
  EXPECT_THAT(refused(R"({"name":"A","applicationId":"a/b"})"), HasSubstr("\"applicationId\""));
  EXPECT_THAT(refused(R"({"name":"A","applicationId":"caf\u00e9"})"),
              HasSubstr("\"applicationId\""));
  EXPECT_THAT(refused(R"({"name":"A","applicationId":")" + std::string(65, 'i') + R"("})"),
              HasSubstr("\"applicationId\" is 1 to 64"));
  EXPECT_THAT(refused(R"({"name":"A","applicationId":""})"), HasSubstr("\"applicationId\""));
  EXPECT_TRUE(stored_applications().empty());
  EXPECT_TRUE(installs_.empty());
  EXPECT_EQ(directory_.applications().size(), 1u);
}

TEST_F(ApplicationRoutesTest, TheLongestNameAndIdAreTaken) {
  const std::string name(100, 'n');
  const std::string id = std::string(62, 'i') + "._";
  const json::object application =
      made(R"({"name":")" + name + R"(","applicationId":")" + id + R"("})");
  EXPECT_EQ(text_of(application, "name"), name);
  EXPECT_EQ(text_of(application, "applicationId"), id);
  EXPECT_TRUE(directory_.is_registered(id));
}

TEST_F(ApplicationRoutesTest, TheListHasTheFilesAndTheMadeApplicationsInOrderOfId) {
  made(R"({"name":"Zeta","applicationId":"zeta"})");
  made(R"({"name":"Alpha","owner":"alice","applicationId":"alpha"})");
  const AdminResponse list = route("GET", "/applications");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.content_type, "application/json");
  EXPECT_EQ(json::parse(list.body), json::parse(R"({"count":3,"list":[
      {"applicationId":"alpha","name":"Alpha","owner":"alice","throttlingPolicy":"Unlimited",
       "source":"admin"},
      {"applicationId":"app-1","name":"Shop","owner":"carol","throttlingPolicy":"Gold",
       "source":"config"},
      {"applicationId":"zeta","name":"Zeta","owner":"admin","throttlingPolicy":"Unlimited",
       "source":"admin"}]})"));
  const AdminResponse head = route("HEAD", "/applications");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, list.body);
}

TEST_F(ApplicationRoutesTest, OneApplicationShowsItsSourceAndKeys) {
  const AdminResponse file = route("GET", "/applications/app-1");
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(json::parse(file.body), json::parse(R"({"applicationId":"app-1","name":"Shop",
      "owner":"carol","throttlingPolicy":"Gold","source":"config",
      "keys":[{"keyManager":"idp","consumerKey":"file-client","keyType":"PRODUCTION"}]})"));

  made(R"({"name":"Pizza app","applicationId":"pizza-app"})");
  json::object shown = object_of(route("GET", "/applications/pizza-app"));
  EXPECT_EQ(text_of(shown, "source"), "admin");
  EXPECT_EQ(shown.at("keys"), json::array());

  const AdminResponse key = route("POST", "/applications/pizza-app/keys/SANDBOX/generate");
  ASSERT_EQ(key.status, 200) << key.body;
  const std::string consumer_key = text_of(object_of(key), "consumerKey");
  shown = object_of(route("GET", "/applications/pizza-app"));
  ASSERT_EQ(shown.at("keys").as_array().size(), 1u);
  const json::object& listed = shown.at("keys").as_array()[0].as_object();
  EXPECT_EQ(text_of(listed, "keyManager"), "resident");
  EXPECT_EQ(text_of(listed, "consumerKey"), consumer_key);
  EXPECT_EQ(text_of(listed, "keyType"), "SANDBOX");
  EXPECT_FALSE(listed.contains("consumerSecret"));

  const AdminResponse missing = route("GET", "/applications/nobody");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(text_of(object_of(missing), "description"), HasSubstr("'nobody'"));
  EXPECT_EQ(route("GET", "/applications/%zz").status, 400);
}

TEST_F(ApplicationRoutesTest, ADeleteRemovesTheApplicationWithItsKeysAndSubscriptions) {
  made(R"({"name":"Pizza app","applicationId":"pizza-app"})");
  const AdminResponse key = route("POST", "/applications/pizza-app/keys/PRODUCTION/generate");
  ASSERT_EQ(key.status, 200) << key.body;
  const std::string consumer_key = text_of(object_of(key), "consumerKey");
  ASSERT_EQ(route("PUT", "/subscriptions/pizza-app/Shop:1.0", R"({"tier":"Gold"})").status, 200);
  ASSERT_EQ(route("PUT", "/subscriptions/app-1/Shop:1.0", R"({"tier":"Gold"})").status, 200);
  ASSERT_EQ(stored_changes().size(), 2u);
  ASSERT_TRUE(directory_.current()->find_key("resident", consumer_key));
  const size_t installs = installs_.size();

  const AdminResponse deleted = route("DELETE", "/applications/pizza-app");
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_TRUE(deleted.body.empty());
  ASSERT_EQ(installs_.size(), installs + 1);
  EXPECT_EQ(installs_.back(), directory_.current());
  EXPECT_EQ(installs_.back()->find_application("pizza-app"), nullptr);
  EXPECT_FALSE(directory_.current()->find_key("resident", consumer_key));
  EXPECT_EQ(context_->clients()->find(consumer_key), nullptr);
  EXPECT_TRUE(stored_applications().empty());
  const std::vector<security::SubscriptionChange> changes = stored_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].application_id, "app-1");
  const std::vector<identity::Subscription> subscriptions = directory_.subscriptions();
  ASSERT_EQ(subscriptions.size(), 1u);
  EXPECT_EQ(subscriptions[0].application_id, "app-1");
  EXPECT_EQ(route("GET", "/applications/pizza-app").status, 404);

  const AdminResponse again = route("DELETE", "/applications/pizza-app");
  EXPECT_EQ(again.status, 404);
  EXPECT_THAT(text_of(object_of(again), "description"), HasSubstr("'pizza-app'"));
  EXPECT_EQ(installs_.size(), installs + 1);
}

TEST_F(ApplicationRoutesTest, TheConfigFilesApplicationIsAConflictToDelete) {
  const AdminResponse deleted = route("DELETE", "/applications/app-1");
  EXPECT_EQ(deleted.status, 409);
  EXPECT_THAT(text_of(object_of(deleted), "description"), HasSubstr("config file"));
  EXPECT_TRUE(directory_.has_application("app-1"));
  EXPECT_TRUE(installs_.empty());
  EXPECT_EQ(route("GET", "/applications/app-1").status, 200);
}

TEST_F(ApplicationRoutesTest, AWrongMethodIsNotAllowedAndSaysWhichAre) {
  const AdminResponse list = route("PUT", "/applications", R"({"name":"A"})");
  EXPECT_EQ(list.status, 405);
  EXPECT_EQ(list.allow, "GET, HEAD, POST");
  EXPECT_EQ(route("DELETE", "/applications").allow, "GET, HEAD, POST");
  const AdminResponse one = route("POST", "/applications/app-1", R"({"name":"A"})");
  EXPECT_EQ(one.status, 405);
  EXPECT_EQ(one.allow, "GET, HEAD, DELETE");
  EXPECT_EQ(route("PUT", "/applications/app-1", "{}").allow, "GET, HEAD, DELETE");
  EXPECT_TRUE(stored_applications().empty());
  EXPECT_TRUE(installs_.empty());
}

TEST_F(ApplicationRoutesTest, WithoutTheKeyManagerApplicationsAreListedNotChanged) {
  with_key_manager_ = false;
  const AdminResponse post = route("POST", "/applications", R"({"name":"Pizza app"})");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.allow, "GET, HEAD");
  const AdminResponse deleted = route("DELETE", "/applications/app-1");
  EXPECT_EQ(deleted.status, 405);
  EXPECT_EQ(deleted.allow, "GET, HEAD");
  EXPECT_TRUE(stored_applications().empty());
  EXPECT_TRUE(installs_.empty());

  const AdminResponse list = route("GET", "/applications");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(object_of(list).at("count").as_int64(), 1);
  const AdminResponse one = route("GET", "/applications/app-1");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(text_of(object_of(one), "source"), "config");
}

TEST_F(ApplicationRoutesTest, WithoutADirectoryTheRouteIsNotServed) {
  const AdminResponse response = route_admin_request({"GET", "/applications", {}},
                                                     AdminServices{metrics_, [] { return true; }});
  EXPECT_EQ(response.status, 404);
}

}  // namespace
}  // namespace gatehouse::admin::application_routes_test
