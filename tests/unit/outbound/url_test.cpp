#include "outbound/url.h"

#include <gtest/gtest.h>

namespace gatehouse::outbound {
namespace {

TEST(ParseUrl, TakesHttpsApart) {
  const auto target = parse_url("https://idp.example.com/realms/a/jwks?x=1#frag");
  ASSERT_TRUE(target) << target.error();
  EXPECT_TRUE(target->tls);
  EXPECT_EQ(target->host, "idp.example.com");
  EXPECT_EQ(target->port, 443);
  EXPECT_EQ(target->host_header, "idp.example.com");
  EXPECT_EQ(target->path, "/realms/a/jwks?x=1");
}

TEST(ParseUrl, DefaultsAndExplicitPorts) {
  EXPECT_EQ(parse_url("http://h")->port, 80);
  EXPECT_EQ(parse_url("http://h")->path, "/");
  EXPECT_EQ(parse_url("http://h:/")->port, 80);
  EXPECT_EQ(parse_url("http://h:80/")->host_header, "h");
  EXPECT_EQ(parse_url("http://h:8080/")->host_header, "h:8080");
  EXPECT_EQ(parse_url("HTTP://H:8080/")->port, 8080);
  EXPECT_EQ(parse_url("http://h?q")->path, "/?q");
}

TEST(ParseUrl, AddressLiterals) {
  const auto v6 = parse_url("https://[::1]:8443/a");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]:8443");
  EXPECT_EQ(parse_url("http://127.0.0.1:9/")->host, "127.0.0.1");
}

TEST(ParseUrl, KeepsThePathEncoded) {
  EXPECT_EQ(parse_url("http://h/a%20b/c%2Fd?e=f%26g")->path, "/a%20b/c%2Fd?e=f%26g");
}

TEST(ParseUrl, RefusesWhatCannotBeFetched) {
  for (const char* bad : {"", "/relative", "ftp://h/", "http:///path", "http://user:pw@h/",
                          "http://h:99999/", "http://h:0/", "http://h%0d%0ax/", "http://a b/"}) {
    EXPECT_FALSE(parse_url(bad)) << bad;
  }
}

}  // namespace
}  // namespace gatehouse::outbound
