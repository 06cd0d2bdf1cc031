#include "security/identity/ip_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gatehouse::identity::ip_matcher_test {
namespace {

using ::testing::HasSubstr;

IpMatcher matcher(std::vector<std::string> entries) {
  auto parsed = IpMatcher::parse(entries);
  if (!parsed) {
    ADD_FAILURE() << "parse refused entry " << parsed.error().entry << ": "
                  << parsed.error().message;
    return {};
  }
  return std::move(*parsed);
}

MatcherError parse_error(std::vector<std::string> entries) {
  auto parsed = IpMatcher::parse(entries);
  if (parsed) {
    ADD_FAILURE() << "parse accepted the entries";
    return {};
  }
  return parsed.error();
}

TEST(IpMatcher, SingleIpv4AddressMatchesOnlyItself) {
  IpMatcher ips = matcher({"192.0.2.10"});
  EXPECT_TRUE(ips.matches("192.0.2.10"));
  EXPECT_FALSE(ips.matches("192.0.2.11"));
  EXPECT_FALSE(ips.matches("192.0.2.1"));
}

TEST(IpMatcher, Ipv4RangeMatchesItsNetworkOnly) {
  IpMatcher ips = matcher({"10.20.0.0/16"});
  EXPECT_TRUE(ips.matches("10.20.0.0"));
  EXPECT_TRUE(ips.matches("10.20.255.255"));
  EXPECT_FALSE(ips.matches("10.21.0.0"));
  EXPECT_FALSE(ips.matches("10.19.255.255"));
}

TEST(IpMatcher, SlashThirtyTwoIsOneAddress) {
  IpMatcher ips = matcher({"203.0.113.7/32"});
  EXPECT_TRUE(ips.matches("203.0.113.7"));
  EXPECT_FALSE(ips.matches("203.0.113.6"));
  EXPECT_FALSE(ips.matches("203.0.113.8"));
}

TEST(IpMatcher, Ipv4SlashZeroMatchesEveryIpv4ClientButNoIpv6One) {
  IpMatcher ips = matcher({"0.0.0.0/0"});
  EXPECT_TRUE(ips.matches("0.0.0.0"));
  EXPECT_TRUE(ips.matches("255.255.255.255"));
  EXPECT_TRUE(ips.matches("::ffff:8.8.8.8"));
  EXPECT_FALSE(ips.matches("2001:db8::1"));
  EXPECT_FALSE(ips.matches("::1"));
}

TEST(IpMatcher, Ipv6SlashZeroMatchesEveryClient) {
  IpMatcher ips = matcher({"::/0"});
  EXPECT_TRUE(ips.matches("2001:db8::1"));
  EXPECT_TRUE(ips.matches("::"));
  EXPECT_TRUE(ips.matches("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(ips.matches("198.51.100.1"));
}

TEST(IpMatcher, Ipv6RangeAcrossTheMiddleOfTheAddress) {
  IpMatcher ips = matcher({"2001:db8:abcd:1200::/56"});
  EXPECT_TRUE(ips.matches("2001:db8:abcd:1200::1"));
  EXPECT_TRUE(ips.matches("2001:db8:abcd:12ff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(ips.matches("2001:db8:abcd:1300::"));
  EXPECT_FALSE(ips.matches("2001:db8:abcd:11ff::"));
}

TEST(IpMatcher, Ipv6RangeInTheLowHalf) {
  IpMatcher ips = matcher({"2001:db8::aa00/120"});
  EXPECT_TRUE(ips.matches("2001:db8::aaff"));
  EXPECT_FALSE(ips.matches("2001:db8::ab00"));
  EXPECT_FALSE(ips.matches("2001:db9::aa00"));
}

TEST(IpMatcher, SlashOneTwentyEightIsOneAddressInAnySpelling) {
  IpMatcher ips = matcher({"2001:DB8:0:0:0:0:0:1/128"});
  EXPECT_TRUE(ips.matches("2001:db8::1"));
  EXPECT_TRUE(ips.matches("2001:0db8:0000::0001"));
  EXPECT_FALSE(ips.matches("2001:db8::2"));
}

TEST(IpMatcher, Ipv4EntryMatchesTheIpv4MappedClient) {
  IpMatcher ips = matcher({"192.168.1.0/24"});
  EXPECT_TRUE(ips.matches("::ffff:192.168.1.20"));
  EXPECT_TRUE(ips.matches("::FFFF:c0a8:0114"));
  EXPECT_FALSE(ips.matches("::ffff:192.168.2.20"));
  // The IPv4-compatible form (deprecated, ::a.b.c.d) is a different address.
  EXPECT_FALSE(ips.matches("::192.168.1.20"));
}

TEST(IpMatcher, MappedEntryMatchesThePlainIpv4Client) {
  IpMatcher ips = matcher({"::ffff:10.0.0.0/104"});
  EXPECT_TRUE(ips.matches("10.255.0.1"));
  EXPECT_FALSE(ips.matches("11.0.0.1"));
}

TEST(IpMatcher, HostBitsBelowThePrefixAreIgnored) {
  IpMatcher ips = matcher({"192.0.2.77/24", "2001:db8::ff/64"});
  EXPECT_TRUE(ips.matches("192.0.2.1"));
  EXPECT_TRUE(ips.matches("2001:db8::1"));
}

TEST(IpMatcher, AnyOfSeveralEntriesMatches) {
  IpMatcher ips = matcher({"10.0.0.1", "172.16.0.0/12", "fd00::/8"});
  EXPECT_TRUE(ips.matches("10.0.0.1"));
  EXPECT_TRUE(ips.matches("172.31.1.1"));
  EXPECT_TRUE(ips.matches("fd12::1"));
  EXPECT_FALSE(ips.matches("172.32.0.0"));
  EXPECT_FALSE(ips.matches("fe80::1"));
}

TEST(IpMatcher, ClientAddressesThatAreNotPlainAddressesMatchNothing) {
  IpMatcher ips = matcher({"::/0"});
  for (const char* client : {"", "localhost", "10.0.0.1/8", "[::1]", "fe80::1%eth0", "1.2.3",
                             "1.2.3.4.5", "010.0.0.1", " 10.0.0.1", "10.0.0.1:8080"}) {
    EXPECT_FALSE(ips.matches(client)) << client;
  }
}

TEST(IpMatcher, EmptyListMatchesNothing) {
  IpMatcher ips = matcher({});
  EXPECT_TRUE(ips.empty());
  EXPECT_FALSE(ips.matches("10.0.0.1"));
}

TEST(IpMatcher, BadEntriesAreRefusedWithTheirIndexAndReason) {
  struct Case {
    const char* entry;
    const char* reason;
  };
  for (Case bad :
       {Case{"10.0.0.0/33", "0 to 32"}, Case{"::/129", "0 to 128"}, Case{"10.0.0.0/", "prefix"},
        Case{"10.0.0.0/-1", "prefix"}, Case{"10.0.0.0/8/8", "prefix"},
        Case{"10.0.0.0/0008", "prefix"}, Case{"10.0.0.0/ 8", "prefix"},
        Case{"256.0.0.1", "not an IPv4 or IPv6"}, Case{"", "not an IPv4 or IPv6"},
        Case{"example.com", "not an IPv4 or IPv6"}, Case{" 10.0.0.1", "not an IPv4 or IPv6"},
        Case{"1::2::3", "not an IPv4 or IPv6"}, Case{"/8", "not an IPv4 or IPv6"}}) {
    MatcherError error = parse_error({"10.0.0.1", "::1", bad.entry});
    EXPECT_EQ(error.entry, 2u) << bad.entry;
    EXPECT_THAT(error.message, HasSubstr(bad.reason)) << bad.entry;
  }
}

TEST(IpMatcher, TooManyEntriesAreRefused) {
  std::vector<std::string> entries(IpMatcher::max_entries + 1, "10.0.0.1");
  EXPECT_EQ(parse_error(entries).entry, IpMatcher::max_entries);
}

TEST(IpMatcherRange, MatchesFromFirstToLastInclusive) {
  auto matcher = IpMatcher::parse({"192.0.2.10-192.0.2.20", "2001:db8::1-2001:db8::ff"});
  ASSERT_TRUE(matcher);
  EXPECT_FALSE(matcher->matches("192.0.2.9"));
  EXPECT_TRUE(matcher->matches("192.0.2.10"));
  EXPECT_TRUE(matcher->matches("192.0.2.15"));
  EXPECT_TRUE(matcher->matches("192.0.2.20"));
  EXPECT_FALSE(matcher->matches("192.0.2.21"));
  EXPECT_TRUE(matcher->matches("2001:db8::80"));
  EXPECT_FALSE(matcher->matches("2001:db8::100"));
}

TEST(IpMatcherRange, RefusesARangeBackwardsOrAcrossFamilies) {
  EXPECT_FALSE(IpMatcher::parse({"192.0.2.20-192.0.2.10"}));
  EXPECT_FALSE(IpMatcher::parse({"192.0.2.1-2001:db8::1"}));
  EXPECT_FALSE(IpMatcher::parse({"192.0.2.1-"}));
  const auto error = IpMatcher::parse({"10.0.0.1", "10.0.0.9-10.0.0.1"}).error();
  EXPECT_EQ(error.entry, 1u);
  EXPECT_EQ(error.message,
            "\"10.0.0.9-10.0.0.1\" is not a range of two addresses of one family, lowest first");
}

}  // namespace
}  // namespace gatehouse::identity::ip_matcher_test
