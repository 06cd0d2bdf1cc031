// The check in front of every admin route: the Host must name the listener, the caller must
// authenticate when authentication is configured, and bodies must be JSON.
#include "admin/admin_access.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json/parse.hpp>

#include "security/identity/password_hash.h"
#include "security/jose/sha256.h"

namespace gatehouse::admin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string digest_of(std::string_view token) {
  const auto digest = jose::sha256(token);
  return std::string(digest.begin(), digest.end());
}

std::string basic(std::string_view user_and_password) {
  namespace base64 = boost::beast::detail::base64;
  std::string encoded(base64::encoded_size(user_and_password.size()), '\0');
  encoded.resize(
      base64::encode(encoded.data(), user_and_password.data(), user_and_password.size()));
  return "Basic " + encoded;
}

std::shared_ptr<AdminAccess> access(const config::AdminConfig& config) {
  auto created = AdminAccess::create(config);
  EXPECT_TRUE(created) << created.error();
  return *created;
}

AdminRequest get(std::string_view host, std::string_view target = "/revocations") {
  return AdminRequest{.method = "GET", .target = target, .host = host};
}

// The status of the refusal, or 0 when the request may pass.
int status(AdminAccess& access, const AdminRequest& request) {
  const std::optional<AdminResponse> refused = access.refuse(request);
  return refused ? refused->status : 0;
}

TEST(AdminAccess, TheHostMustNameThisListener) {
  config::AdminConfig config;
  config.address = {"admin.internal", 9443};
  config.hosts = {"gw1.example.com"};
  auto guard = access(config);
  for (std::string_view host :
       {"127.0.0.1:9443", "127.0.0.1", "[::1]:9443", "10.1.2.3:9443", "localhost:9443", "LocalHost",
        "localhost.", "admin.internal", "GW1.example.com:443"}) {
    EXPECT_EQ(status(*guard, get(host)), 0) << host;
  }
  // A rebound DNS name, a name that only starts like ours, and the unspecified addresses that
  // browsers send to the local host.
  for (std::string_view host : {"evil.example:9443", "localhost.evil.example", "gw1.example.co",
                                "0.0.0.0:9443", "[::]:9443"}) {
    EXPECT_EQ(status(*guard, get(host)), 421) << host;
  }
  for (std::string_view host : {"", "a b", "[::1", "[::1]x", "localhost:99999", "localhost:x"}) {
    EXPECT_EQ(status(*guard, get(host)), 400) << host;
  }
  const std::optional<AdminResponse> refused = guard->refuse(get("evil.example"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->content_type, "application/json");
  EXPECT_THAT(refused->body, HasSubstr("does not answer to the name 'evil.example'"));
}

TEST(AdminAccess, HostIsRequiredSinceHttp11) {
  auto guard = access({});
  EXPECT_EQ(status(*guard, AdminRequest{.method = "GET", .target = "/healthz"}), 400);
  EXPECT_EQ(status(*guard, AdminRequest{.method = "GET", .target = "/healthz", .version = 10}), 0);
}

TEST(AdminAccess, BodiesMustBeJson) {
  auto guard = access({});
  const auto post = [&](std::string_view content_type, std::string_view body = R"({"jti":"x"})") {
    return status(*guard, AdminRequest{.method = "POST",
                                       .target = "/revocations",
                                       .body = body,
                                       .host = "127.0.0.1",
                                       .content_type = content_type});
  };
  EXPECT_EQ(post("application/json"), 0);
  EXPECT_EQ(post("Application/JSON; charset=utf-8"), 0);
  EXPECT_EQ(post("text/plain"), 415);
  EXPECT_EQ(post("application/x-www-form-urlencoded"), 415);
  EXPECT_EQ(post("multipart/form-data; boundary=x"), 415);
  EXPECT_EQ(post("application/jsonp"), 415);
  EXPECT_EQ(post(""), 415);
  EXPECT_EQ(post("", ""), 0);  // no body: nothing to interpret
}

TEST(AdminAccess, WithoutAuthenticationConfiguredEveryPathIsOpen) {
  auto guard = access({});
  EXPECT_EQ(status(*guard, get("127.0.0.1", "/revocations")), 0);
  EXPECT_EQ(status(*guard, get("127.0.0.1", "/metrics")), 0);
}

TEST(AdminAccess, BearerTokensAreComparedByTheirDigest) {
  config::AdminConfig config;
  config.auth.token_digests = {digest_of("first-token"), digest_of("second-token")};
  auto guard = access(config);
  const auto with = [&](std::string_view authorization, std::string_view path = "/revocations") {
    AdminRequest request = get("127.0.0.1", path);
    request.authorization = authorization;
    return status(*guard, request);
  };
  EXPECT_EQ(with("Bearer first-token"), 0);
  EXPECT_EQ(with("bearer second-token"), 0);
  EXPECT_EQ(with(""), 401);
  EXPECT_EQ(with("Bearer first-tokenx"), 401);
  EXPECT_EQ(with("Bearer"), 401);
  EXPECT_EQ(with(basic("first-token:first-token")), 401);
  EXPECT_EQ(with("", "/metrics"), 401);
  // The default open paths: probes, and the public keys.
  EXPECT_EQ(with("", "/healthz"), 0);
  EXPECT_EQ(with("", "/readyz?verbose"), 0);
  EXPECT_EQ(with("", "/jwks"), 0);

  const std::optional<AdminResponse> refused = guard->refuse(get("127.0.0.1"));
  ASSERT_TRUE(refused);
  EXPECT_THAT(refused->challenges, ElementsAre("Bearer realm=\"gatehouse-admin\""));
  EXPECT_EQ(boost::json::parse(refused->body).at("code"), 401);
}

TEST(AdminAccess, BasicUsersAreVerifiedByTheirHash) {
  config::AdminConfig config;
  config.auth.users = {
      {.name = "ops", .password_hash = *identity::hash_password_argon2id("s3cret")}};
  config.auth.token_digests = {digest_of("token")};
  config.auth.open_paths = {};
  auto guard = access(config);
  const auto with = [&](std::string_view authorization) {
    AdminRequest request = get("localhost", "/healthz");
    request.authorization = authorization;
    return status(*guard, request);
  };
  EXPECT_EQ(with(basic("ops:s3cret")), 0);
  EXPECT_EQ(with(basic("ops:s3cret")), 0);  // from the cache
  EXPECT_EQ(with(basic("ops:wrong")), 401);
  EXPECT_EQ(with(basic("nobody:s3cret")), 401);
  EXPECT_EQ(with("Basic not-base64!"), 401);
  EXPECT_EQ(with(""), 401);  // nothing is open any more
  const std::optional<AdminResponse> refused = guard->refuse(get("localhost"));
  ASSERT_TRUE(refused);
  EXPECT_THAT(refused->challenges,
              ElementsAre("Bearer realm=\"gatehouse-admin\"",
                          "Basic realm=\"gatehouse-admin\", charset=\"UTF-8\""));
}

TEST(AdminAccess, AVerifiedClientCertificateAuthenticates) {
  config::AdminConfig config;
  config.tls =
      net::TlsServerConfig{.client_ca_file = "ca.pem", .client_auth = net::ClientAuth::optional};
  auto guard = access(config);
  AdminRequest request = get("127.0.0.1");
  EXPECT_EQ(status(*guard, request), 403);  // no header could help: no challenge
  EXPECT_TRUE(guard->refuse(request)->challenges.empty());
  request.client_certificate = true;
  EXPECT_EQ(status(*guard, request), 0);
}

TEST(AdminAccess, TheHostIsCheckedBeforeCredentialsAndCredentialsBeforeTheBody) {
  config::AdminConfig config;
  config.auth.token_digests = {digest_of("token")};
  auto guard = access(config);
  AdminRequest request{.method = "POST",
                       .target = "/revocations",
                       .body = "jti=x",
                       .host = "rebound.example",
                       .content_type = "text/plain"};
  EXPECT_EQ(status(*guard, request), 421);
  request.host = "127.0.0.1";
  EXPECT_EQ(status(*guard, request), 401);
  request.authorization = "Bearer token";
  EXPECT_EQ(status(*guard, request), 415);
}

}  // namespace
}  // namespace gatehouse::admin
