// What of a message passes on: the API key parameter cut out of a query, and the trailer fields
// that go on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/parser.h"
#include "proxy/forwarding.h"
#include "snapshot/forwarding_rules.h"

namespace gatehouse::proxy {
namespace {

std::string query_without(std::string_view query, std::string_view name) {
  std::string out;
  append_query_without(out, query, name);
  return out;
}

TEST(QueryWithout, RemovesEveryParameterOfThatNameAndKeepsTheRestAsSent) {
  EXPECT_EQ(query_without("apikey=K", "apikey"), "");
  EXPECT_EQ(query_without("a=1&apikey=K&b=%20x+y", "apikey"), "?a=1&b=%20x+y");
  EXPECT_EQ(query_without("apikey=K&a=1", "apikey"), "?a=1");
  EXPECT_EQ(query_without("a=1&apikey=K", "apikey"), "?a=1");
  EXPECT_EQ(query_without("apikey=1&apikey=2&z", "apikey"), "?z");
  // What a decoding or case-blind backend would read as the parameter.
  EXPECT_EQ(query_without("%61pikey=K&a", "apikey"), "?a");
  EXPECT_EQ(query_without("APIKEY=K&a", "apikey"), "?a");
  EXPECT_EQ(query_without("apikey&a", "apikey"), "?a");
  EXPECT_EQ(query_without("apikey=&a", "apikey"), "?a");
  // Not that parameter.
  EXPECT_EQ(query_without("apikeys=1&xapikey=2&api=3&apikey%3D=4", "apikey"),
            "?apikeys=1&xapikey=2&api=3&apikey%3D=4");
  EXPECT_EQ(query_without("a=1&&b=2&", "apikey"), "?a=1&&b=2&");
  EXPECT_EQ(query_without("%zz=1&%6", "apikey"), "?%zz=1&%6");
  EXPECT_EQ(query_without("a=apikey", "apikey"), "?a=apikey");
  EXPECT_EQ(query_without("anything&apikey=1", ""), "?anything&apikey=1");
}

// A request head and trailers as the parser gives them, for the filter to read.
struct ParsedChunked {
  explicit ParsedChunked(const std::string& wire) : bytes(wire), parser(http::ParserLimits{}) {
    const http::HeadResult head_result = parser.parse_head(bytes, head);
    EXPECT_EQ(head_result.status, http::ParseStatus::done);
    std::vector<std::string_view> pieces;
    const http::BodyResult body =
        parser.parse_body(std::string_view(bytes).substr(head_result.consumed), pieces);
    EXPECT_TRUE(body.complete) << (body.error ? body.error->description : "");
  }

  std::string bytes;
  http::RequestParser parser;
  http::RequestHead head;
};

std::string chunked_with_trailers(const std::vector<std::string>& fields) {
  std::string wire =
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: X-Hop\r\n\r\n"
      "1\r\nx\r\n0\r\n";
  for (const std::string& field : fields) wire += field + ": v\r\n";
  return wire + "\r\n";
}

TEST(TrailerFilter, PassesOnlyWhatTheHeadCouldCarryAndRfc9110Allows) {
  const std::vector<std::string> passing = {"X-Checksum", "Server-Timing", "Digest",
                                            "X-Amz-Checksum-Crc32"};
  const std::vector<std::string> dropped = {
      // hop-by-hop, the head's Connection options, gateway-set and gateway-only fields
      "Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Connection", "X-Hop",
      "X-Request-ID", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
      "X-Forwarded-Port", "Forwarded", "X-Real-IP", "X-HTTP-Method-Override", "X-Original-URL",
      // configured: the backend JWT and client-certificate headers, the API key header
      "X-JWT-Assertion", "X-WSO2-Client-Certificate", "apikey",
      // a headers policy removes or sets them
      "X-Removed", "X-Set",
      // RFC 9110 6.5.1 and what the gateway checks in the head
      "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "WWW-Authenticate",
      "Cache-Control", "Expect", "Max-Forwards", "Pragma", "Range", "If-Match", "If-None-Match",
      "If-Modified-Since", "If-Unmodified-Since", "If-Range", "Accept", "Accept-Encoding",
      "Content-Type", "Content-Encoding", "Content-Range", "Location", "Date", "Vary", "Age",
      "Retry-After", "Expires", "Via", "Referer", "Origin"};
  std::vector<std::string> all = passing;
  all.insert(all.end(), dropped.begin(), dropped.end());
  const ParsedChunked message(chunked_with_trailers(all));
  ASSERT_EQ(message.parser.trailers().size(), all.size());

  config::Config config;
  config::ApiConfig secured;
  secured.name = "secured";
  secured.security.emplace();
  config.apis.push_back(secured);
  const snapshot::ForwardingRules rules = snapshot::compile_forwarding_rules(config)[0];
  http::HeaderEdits edits;
  edits.remove.push_back("x-removed");
  edits.add.emplace_back("X-SET", "policy");
  std::string out;
  TrailerFilter(message.head.headers, edits, &rules).append(out, message.parser.trailers());
  std::string expected;
  for (const std::string& name : passing) expected += name + ": v\r\n";
  EXPECT_EQ(out, expected);
}

TEST(TrailerFilter, ResponsesDropHopByHopAndForbiddenFields) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
      "Connection: x\r\nX-Checksum: 1\r\nSet-Cookie: a=b\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n";
  http::ResponseParser parser({}, "GET");
  http::ResponseHead head;
  const http::HeadResult head_result = parser.parse_head(wire, head);
  ASSERT_EQ(head_result.status, http::ParseStatus::done);
  std::vector<std::string_view> pieces;
  ASSERT_TRUE(
      parser.parse_body(std::string_view(wire).substr(head_result.consumed), pieces).complete);
  std::string out;
  TrailerFilter(head.headers, http::HeaderEdits{}, nullptr).append(out, parser.trailers());
  EXPECT_EQ(out, "X-Checksum: 1\r\n");
}

}  // namespace
}  // namespace gatehouse::proxy
