// The admin section: an admin listener others can reach needs authentication (or an explicit
// opt-out) and gets a warning without TLS; credentials are checked where they are written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/loader.h"

namespace gatehouse::config::admin_config_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::string_view listener_line = "listeners: [{name: http, address: 127.0.0.1:8280}]\n";
constexpr std::string_view bcrypt_hash =
    "$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq";

std::expected<Config, ConfigErrors> load_admin(std::string_view admin_lines) {
  return load_string(std::string(listener_line) + "admin:\n" + std::string(admin_lines),
                     (std::filesystem::path(testing::TempDir()) / "gw.yaml").string());
}

std::vector<std::string> errors_of(std::string_view admin_lines) {
  std::vector<std::string> printed;
  auto loaded = load_admin(admin_lines);
  if (!loaded) {
    for (const ConfigError& error : loaded.error()) {
      printed.push_back(error.to_string().substr(error.to_string().find("gw.yaml:")));
    }
  }
  return printed;
}

std::vector<std::string> warnings_of(std::string_view admin_lines) {
  std::vector<std::string> printed;
  auto loaded = load_admin(admin_lines);
  EXPECT_TRUE(loaded) << loaded.error().front().to_string();
  if (loaded) {
    for (const ConfigError& warning : loaded->warnings) {
      printed.push_back(warning.to_string().substr(warning.to_string().find("gw.yaml:")));
    }
  }
  return printed;
}

TEST(AdminConfig, LoopbackWithoutAuthenticationIsTodaysDefault) {
  for (std::string_view address :
       {"127.0.0.1:9443", "127.8.9.1:1", "localhost:9443", "'[::1]:9443'"}) {
    EXPECT_THAT(warnings_of("  address: " + std::string(address) + "\n"), IsEmpty()) << address;
  }
}

TEST(AdminConfig, ANetworkAddressWithoutAuthenticationIsRefused) {
  const std::string expected =
      "gw.yaml:3:12: the admin address 0.0.0.0:9443 is not loopback, and the admin API would let "
      "anyone who reaches it issue API keys: configure admin 'auth' (tokens or users) or client "
      "certificates (admin 'tls' with 'client_ca'), or set 'allow_unauthenticated: true'";
  EXPECT_THAT(errors_of("  address: 0.0.0.0:9443\n"), ElementsAre(expected));
  EXPECT_THAT(errors_of("  address: '[::]:9443'\n"),
              ElementsAre(::testing::HasSubstr("the admin address [::]:9443 is not")));
  EXPECT_THAT(errors_of("  address: admin.internal:9443\n"), testing::SizeIs(1));
}

TEST(AdminConfig, ANetworkAddressWithoutTlsIsAWarning) {
  const std::string warning =
      "gw.yaml:3:12: the admin address 10.0.0.5:9443 is not loopback and has no TLS: credentials "
      "and the API keys it issues cross the network in clear; configure admin 'tls'";
  EXPECT_THAT(warnings_of("  address: 10.0.0.5:9443\n  allow_unauthenticated: true\n"),
              ElementsAre(warning));
  EXPECT_THAT(warnings_of("  address: 10.0.0.5:9443\n  auth:\n    users:\n"
                          "      - {name: ops, password_hash: '" +
                          std::string(bcrypt_hash) + "'}\n"),
              ElementsAre(warning));
}

TEST(AdminConfig, CredentialsAreCheckedWhereTheyAreWritten) {
  const std::string token_file = (std::filesystem::path(testing::TempDir()) / "short.token");
  std::ofstream(token_file) << "secret\n";
  EXPECT_THAT(
      errors_of("  auth:\n"
                "    tokens:\n"
                "      - sha256: abc\n"
                "      - {sha256: " +
                std::string(64, 'a') +
                ", file: /dev/null}\n"
                "      - file: " +
                token_file +
                "\n"
                "    users:\n"
                "      - {name: 'a:b', password_hash: '" +
                std::string(bcrypt_hash) +
                "'}\n"
                "      - {name: ops, password_hash: plain}\n"
                "      - {name: ops, password_hash: '$2b$31$" +
                std::string(53, 'a') +
                "'}\n"
                "    open_paths: [healthz]\n"),
      ElementsAre(
          "gw.yaml:5:17: 'sha256' must be 64 hexadecimal digits, as sha256sum prints, got 'abc'",
          "gw.yaml:6:9: a token needs one of 'sha256' and 'file'",
          "gw.yaml:7:9: the token in " + token_file +
              " must be at least 32 characters of letters, digits and -._~+/ (make one with "
              "openssl rand -hex 32)",
          "gw.yaml:9:10: 'name' must not contain ':' (Basic Auth splits there)",
          "gw.yaml:10:36: 'password_hash' must be an Argon2id ($argon2id$...) or bcrypt ($2b$...) "
          "hash; make one with `gatehouse hash-password`, got 'plain'",
          "gw.yaml:11:9: admin user 'ops' is already defined at line 10",
          testing::StartsWith("gw.yaml:11:36: 'password_hash' is refused: the bcrypt cost must"),
          "gw.yaml:12:18: 'open_paths' must list paths starting with '/', like /healthz, got "
          "'healthz'"));
}

TEST(AdminConfig, HostsAreNamesOrAddresses) {
  EXPECT_THAT(errors_of("  hosts: [admin.example.com, '[fe80::1]', 'evil.com:80', 'a b']\n"),
              ElementsAre("gw.yaml:3:43: 'hosts' must list host names or addresses without a "
                          "port, like admin.example.com or [::1], got 'evil.com:80'",
                          "gw.yaml:3:58: 'hosts' must list host names or addresses without a "
                          "port, like admin.example.com or [::1], got 'a b'"));
}

TEST(AdminConfig, AuthNeedsAMeansAndMustNotBeContradicted) {
  EXPECT_THAT(errors_of("  auth: {open_paths: [/healthz]}\n"),
              ElementsAre("gw.yaml:3:3: 'auth' needs 'tokens' or 'users' (or admin 'tls' with "
                          "'client_ca', whose certificates then authenticate)"));
  EXPECT_THAT(errors_of("  allow_unauthenticated: true\n  auth:\n    tokens: [{sha256: " +
                        std::string(64, '0') + "}]\n"),
              ElementsAre("gw.yaml:3:3: 'allow_unauthenticated' contradicts the authentication "
                          "configured; remove one of them"));
}

TEST(AdminConfig, RevocationLimits) {
  EXPECT_THAT(errors_of("  revocations: {capacity: 0, max_lifetime: 0}\n"),
              ElementsAre("gw.yaml:3:27: 'capacity' must be an integer from 1 to 10000000, got '0'",
                          testing::StartsWith("gw.yaml:3:44: 'max_lifetime' must be")));
}

}  // namespace
}  // namespace gatehouse::config::admin_config_test
