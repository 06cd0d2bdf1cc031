#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "net/tls.h"
#include "outbound/fetch.h"
#include "test_server.h"

namespace gatehouse::outbound {
namespace {

using namespace fixtures;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// A CA and a certificate for "localhost" (no IP address in it) made with the openssl command, so
// that connecting as "127.0.0.1" is a host name mismatch.
class TlsFetchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/outbound-pki-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    const std::string subject = " -subj '/O=Gatehouse Tests/CN=";
    std::ofstream(dir_ / "leaf.ext") << "subjectAltName=DNS:localhost\n";
    const std::string script =
        "cd " + dir_.string() +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key"
        " -out ca.pem -days 2" +
        subject +
        "Test CA'"
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
        " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key"
        " -out leaf.csr" +
        subject +
        "localhost'"
        " && openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem"
        " -days 2 -extfile leaf.ext) >/dev/null 2>&1";
    ASSERT_EQ(std::system(("(" + script).c_str()), 0) << "the openssl command is needed";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override {
    net::TlsServerConfig config;
    config.cert_file = dir_ / "leaf.pem";
    config.key_file = dir_ / "leaf.key";
    auto context = net::make_server_tls(config);
    ASSERT_TRUE(context) << context.error();
    server_tls_ = *context;
    server_.emplace(
        io_,
        [](const HttpRequest&) {
          return text_response(http::status::ok, "secret keys", "application/json");
        },
        server_tls_.get());
  }

  std::expected<Response, Error> fetch_with(const std::string& url, const TlsSettings& settings) {
    auto tls = make_client_tls(settings);
    if (!tls) throw std::runtime_error(tls.error());
    return run(io_, fetch({.url = url, .timeout = std::chrono::seconds(5)}, *tls));
  }

  static inline fs::path dir_;
  asio::io_context io_;
  std::shared_ptr<asio::ssl::context> server_tls_;
  std::optional<HttpServer> server_;
};

TEST_F(TlsFetchTest, TrustsTheConfiguredCaAndSendsTheNameAsSni) {
  const auto response =
      fetch_with(server_->url("/jwks", "localhost"), {.ca_file = dir_ / "ca.pem"});
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "secret keys");
  EXPECT_THAT(server_->sni_names, ElementsAre("localhost"));
}

TEST_F(TlsFetchTest, RefusesACertificateForAnotherHostName) {
  const auto response =
      fetch_with(server_->url("/jwks", "127.0.0.1"), {.ca_file = dir_ / "ca.pem"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::tls);
  EXPECT_TRUE(server_->requests.empty());
}

TEST_F(TlsFetchTest, RefusesACaTheSystemStoreDoesNotKnow) {
  const auto response = fetch_with(server_->url("/jwks", "localhost"), {});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::tls);
  EXPECT_THAT(response.error().describe(), HasSubstr("certificate verify failed"));
  EXPECT_TRUE(server_->requests.empty());
}

TEST_F(TlsFetchTest, WithoutVerificationAnyCertificateIsAccepted) {
  const auto response = fetch_with(server_->url("/jwks", "127.0.0.1"), {.verify_tls = false});
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "secret keys");
}

TEST_F(TlsFetchTest, AMissingCaFileIsAnError) {
  const auto tls = make_client_tls({.ca_file = dir_ / "absent.pem"});
  ASSERT_FALSE(tls);
  EXPECT_THAT(tls.error(), HasSubstr("absent.pem"));
}

TEST_F(TlsFetchTest, APlainServerBehindAnHttpsUrlIsATlsFailure) {
  HttpServer plain(io_, [](const HttpRequest&) { return text_response(http::status::ok, ""); });
  const auto response = fetch_with("https://localhost:" + std::to_string(plain.port()) + "/",
                                   {.ca_file = dir_ / "ca.pem"});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind(), ErrorKind::tls);
}

}  // namespace
}  // namespace gatehouse::outbound
