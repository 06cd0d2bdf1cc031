// The notations for durations, sizes, and listen and server addresses.
#include "config/units.h"

#include <gtest/gtest.h>

namespace gatehouse::config {
namespace {

using namespace std::chrono_literals;

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("500ms"), Millis(500));
  EXPECT_EQ(parse_duration("5s"), Millis(5s));
  EXPECT_EQ(parse_duration("2m"), Millis(2min));
  EXPECT_EQ(parse_duration("30d"), Millis(std::chrono::days(30)));
  EXPECT_EQ(parse_duration("1h"), Millis(1h));
  EXPECT_EQ(parse_duration("250"), Millis(250));
  for (const char* wrong : {"", "s", "5 s", "5sec", "-5s", "1.5s", "5S", "99999999999999999999"}) {
    EXPECT_EQ(parse_duration(wrong).error(), "must be a duration like 500ms, 5s or 2m") << wrong;
  }
  EXPECT_EQ(parse_duration("0s").error(), "must be greater than 0");
  // Hours that overflow 64-bit milliseconds are refused, not wrapped.
  EXPECT_FALSE(parse_duration("9999999999999999h"));
}

TEST(Units, Sizes) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("100"), 100u);
  EXPECT_EQ(parse_size("100B"), 100u);
  EXPECT_EQ(parse_size("512KiB"), 512u * 1024);
  EXPECT_EQ(parse_size("1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_EQ(parse_size("10KB"), 10'000u);
  EXPECT_EQ(parse_size("10MB"), 10'000'000u);
  EXPECT_EQ(parse_size("2GB"), 2'000'000'000u);
  for (const char* wrong : {"", "MiB", "1 MiB", "1mib", "1.5MiB", "-1", "20000000000GiB"}) {
    EXPECT_EQ(parse_size(wrong).error(), "must be a size like 512KiB, 10MB or 1GiB") << wrong;
  }
}

TEST(Units, HostPorts) {
  const auto v4 = parse_host_port("127.0.0.1:8280");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8280);
  const auto v6 = parse_host_port("[::1]:65535");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_EQ(parse_host_port("localhost:1")->host, "localhost");
  EXPECT_EQ(parse_host_port("localhost").error(), "must be host:port or [ipv6]:port");
  EXPECT_EQ(parse_host_port(":80").error(), "must be host:port or [ipv6]:port");
  EXPECT_EQ(parse_host_port("a b:80").error(), "must be host:port or [ipv6]:port");
  EXPECT_EQ(parse_host_port("[::1]80").error(), "must be host:port or [ipv6]:port");
  EXPECT_EQ(parse_host_port("::1:80").error(),
            "must write an IPv6 address in brackets, like [::1]:8280");
  EXPECT_EQ(parse_host_port("[::g]:80").error(),
            "must have a valid IPv6 address between the brackets");
  EXPECT_EQ(parse_host_port("127.0.0.1:0")->port, 0);  // any free port, chosen when bound
  for (const char* wrong : {"h:65536", "h:", "h:8o", "[::1]:", "h:-1"}) {
    EXPECT_EQ(parse_host_port(wrong).error(), "must have a port from 0 to 65535") << wrong;
  }
  EXPECT_EQ(parse_host_port("[::1]").error(), "must be host:port or [ipv6]:port");
}

TEST(Units, ServerAddressesTakeTheDefaultPortWhenItIsLeftOut) {
  const auto named = parse_server_address("redis.internal", 6379);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->host, "redis.internal");
  EXPECT_EQ(named->port, 6379);
  const auto v6 = parse_server_address("[2001:db8::5]", 26379);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:db8::5");
  EXPECT_EQ(v6->port, 26379);
  EXPECT_EQ(parse_server_address("10.0.0.5:7000", 6379)->port, 7000);
  EXPECT_EQ(parse_server_address("[::1]:7000", 6379)->port, 7000);
  EXPECT_EQ(parse_server_address("localhost:65535", 6379)->port, 65535);

  constexpr std::string_view shape = "must be host, host:port, [ipv6] or [ipv6]:port";
  for (const char* wrong : {"", ":6379", "a b", "a/b:1", "[::1]6379", "[::1"}) {
    EXPECT_EQ(parse_server_address(wrong, 6379).error(), shape) << wrong;
  }
  EXPECT_EQ(parse_server_address("::1", 6379).error(),
            "must write an IPv6 address in brackets, like [::1]:8280");
  EXPECT_EQ(parse_server_address("[::g]", 6379).error(),
            "must have a valid IPv6 address between the brackets");
  // Nothing listens on port 0: a server's port is from 1.
  for (const char* wrong : {"h:0", "h:", "h:65536", "[::1]:", "[::1]:0", "h:-1"}) {
    EXPECT_EQ(parse_server_address(wrong, 6379).error(), "must have a port from 1 to 65535")
        << wrong;
  }
}

}  // namespace
}  // namespace gatehouse::config
