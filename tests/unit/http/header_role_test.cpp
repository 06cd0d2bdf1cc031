// Header roles decide what a proxy forwards. The parser finds them from the field Beast has
// recognized, header_role() from the name alone: both must agree, whatever the case of the name.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/parser.h"
#include "parser_test_support.h"

namespace gatehouse::http {
namespace {

struct NamedRole {
  std::string name;
  HeaderRole role;
};

const std::vector<NamedRole> kRoles = {
    {"Connection", HeaderRole::connection},
    {"Keep-Alive", HeaderRole::hop_by_hop},
    {"Proxy-Connection", HeaderRole::hop_by_hop},
    {"TE", HeaderRole::hop_by_hop},
    {"Trailer", HeaderRole::hop_by_hop},
    {"Upgrade", HeaderRole::hop_by_hop},
    {"Content-Length", HeaderRole::hop_by_hop},
    {"Host", HeaderRole::host},
    {"Expect", HeaderRole::expect},
    {"X-Request-ID", HeaderRole::x_request_id},
    {"X-Forwarded-For", HeaderRole::x_forwarded_for},
    {"X-Forwarded-Host", HeaderRole::x_forwarded_host},
    {"X-Forwarded-Proto", HeaderRole::x_forwarded_proto},
    {"Authorization", HeaderRole::authorization},
    {"Proxy-Authorization", HeaderRole::gateway_only},
    {"Forwarded", HeaderRole::gateway_only},
    {"X-Real-IP", HeaderRole::gateway_only},
    {"X-Forwarded-Port", HeaderRole::gateway_only},
    {"X-Forwarded-Prefix", HeaderRole::gateway_only},
    {"X-Forwarded-Server", HeaderRole::gateway_only},
    {"X-Original-URL", HeaderRole::gateway_only},
    {"X-Rewrite-URL", HeaderRole::gateway_only},
    {"X-HTTP-Method-Override", HeaderRole::gateway_only},
    {"X-HTTP-Method", HeaderRole::gateway_only},
    {"X-Method-Override", HeaderRole::gateway_only},
    {"X-Forwarded", HeaderRole::end_to_end},   // the prefix alone names nothing
    {"X-Forwarded-", HeaderRole::end_to_end},  // nor the prefix with nothing after it
    {"X-Forwardedx-For", HeaderRole::end_to_end},
    {"Accept", HeaderRole::end_to_end},        // as long as "expect"
    {"User-Agent", HeaderRole::end_to_end},    // as long as "connection"
    {"Content-Type", HeaderRole::end_to_end},  // as long as "x-request-id"
    {"X-Custom", HeaderRole::end_to_end},
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

TEST(HeaderRole, ByNameInAnyCase) {
  for (const NamedRole& named : kRoles) {
    SCOPED_TRACE(named.name);
    EXPECT_EQ(header_role(named.name), named.role);
    EXPECT_EQ(header_role(lower(named.name)), named.role);
    EXPECT_EQ(Header(named.name, "v").role, named.role);
  }
}

TEST(HeaderRole, ParsedHeadersCarryTheRoleOfTheirName) {
  // Every name but the framing ones, which the request below cannot carry with a body.
  std::string wire = "GET / HTTP/1.1\r\n";
  std::vector<NamedRole> sent;
  for (const NamedRole& named : kRoles) {
    if (named.name == "Content-Length" || named.name == "Upgrade") continue;
    sent.push_back(named);
    const std::string value = named.name == "Host"     ? "example.com"
                              : named.name == "Expect" ? "100-continue"
                                                       : "x";
    wire += named.name + ": " + value + "\r\n";
  }
  wire += "\r\n";
  RequestParser parser({});
  RequestHead head;
  const auto run = testing::parse_head_in_steps(parser, wire, head);
  ASSERT_EQ(run.result.status, ParseStatus::done)
      << (run.result.error ? run.result.error->description : "");
  ASSERT_EQ(head.headers.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    SCOPED_TRACE(sent[i].name);
    EXPECT_EQ(head.headers[i].role, sent[i].role);
  }
}

TEST(HeaderRole, ParsedResponseFramingHeadersAreHopByHop) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nupgrade: h2c\r\nx-forwarded-for: 1.2.3.4\r\n\r\nok";
  ResponseParser parser({}, "GET");
  ResponseHead head;
  const auto run = testing::parse_head_in_steps(parser, wire, head);
  ASSERT_EQ(run.result.status, ParseStatus::done)
      << (run.result.error ? run.result.error->description : "");
  ASSERT_EQ(head.headers.size(), 3u);
  EXPECT_EQ(head.headers[0].role, HeaderRole::hop_by_hop);
  EXPECT_EQ(head.headers[1].role, HeaderRole::hop_by_hop);
  EXPECT_EQ(head.headers[2].role, HeaderRole::x_forwarded_for);
}

}  // namespace
}  // namespace gatehouse::http
