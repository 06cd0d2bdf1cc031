// POST /oauth2/keys/rotate: served only with a key manager to rotate, POST only, answering the
// new kid and the JWKS, or 500 with why the rotation failed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "admin/admin_routes.h"
#include "keymanager/server/key_ring.h"
#include "keymanager/server/signing_key.h"
#include "observability/metrics.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

std::shared_ptr<const keymanager::KeyRing> one_key_ring() {
  auto record = keymanager::generate_signing_key(jose::Alg::ES256, 1);
  EXPECT_TRUE(record.has_value());
  auto ring = keymanager::KeyRing::from_records({*record});
  EXPECT_TRUE(ring.has_value());
  return std::make_shared<const keymanager::KeyRing>(std::move(*ring));
}

class KeyRotationRouteTest : public ::testing::Test {
 protected:
  AdminResponse route(std::string_view method) {
    AdminServices services{metrics_, [] { return true; }};
    services.rotate_signing_key = rotate_;
    return route_admin_request({method, "/oauth2/keys/rotate", {}}, services);
  }

  observability::Metrics metrics_{1, "test"};
  int rotations_ = 0;
  std::shared_ptr<const keymanager::KeyRing> ring_ = one_key_ring();
  std::function<std::expected<std::shared_ptr<const keymanager::KeyRing>, std::string>()> rotate_ =
      [this] {
        ++rotations_;
        return ring_;
      };
};

TEST_F(KeyRotationRouteTest, APostRotatesAndAnswersTheNewKidAndTheJwks) {
  const AdminResponse response = route("POST");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(rotations_, 1);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("kid").as_string(), ring_->kid());
  EXPECT_EQ(body.at("jwks"), ring_->jwks());
}

TEST_F(KeyRotationRouteTest, OnlyPostIsAllowed) {
  const AdminResponse response = route("GET");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.allow, "POST");
  EXPECT_EQ(rotations_, 0);
}

TEST_F(KeyRotationRouteTest, AFailedRotationIsA500SayingWhy) {
  rotate_ = [] { return std::unexpected(std::string("the store is read-only")); };
  const AdminResponse response = route("POST");
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("the store is read-only"), std::string::npos);
}

TEST_F(KeyRotationRouteTest, WithoutAKeyManagerThePathIsNotServed) {
  rotate_ = nullptr;
  EXPECT_EQ(route("POST").status, 404);
}

}  // namespace
}  // namespace gatehouse::admin
