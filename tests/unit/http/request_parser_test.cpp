#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "http/parser.h"
#include "parser_test_support.h"

namespace gatehouse::http {
namespace {

using ::testing::HasSubstr;
using testing::HeadRun;
using testing::parse_head_in_steps;

struct ValidRequest {
  std::string name;
  std::string wire;
  std::string method;
  std::string target;
  std::string path;
  std::string query;
  int version_minor;
  BodyFraming framing;
  uint64_t content_length;
  bool keep_alive;
  bool expect_continue;
  std::string host;
  size_t header_count;
};

void PrintTo(const ValidRequest& c, std::ostream* os) {
  *os << c.name;
}

class ValidRequestTest : public ::testing::TestWithParam<ValidRequest> {};

void expect_head(const ValidRequest& c, const RequestHead& head) {
  EXPECT_EQ(head.method, c.method);
  EXPECT_EQ(head.target, c.target);
  EXPECT_EQ(head.path, c.path);
  EXPECT_EQ(head.query, c.query);
  EXPECT_EQ(head.version_minor, c.version_minor);
  EXPECT_EQ(head.framing, c.framing);
  EXPECT_EQ(head.content_length, c.content_length);
  EXPECT_EQ(head.keep_alive, c.keep_alive);
  EXPECT_EQ(head.expect_continue, c.expect_continue);
  EXPECT_EQ(head.host, c.host);
  EXPECT_EQ(head.headers.size(), c.header_count);
}

TEST_P(ValidRequestTest, ParsesWholeAndByteByByteAlike) {
  const ValidRequest& c = GetParam();
  for (size_t step : {size_t{0}, size_t{1}, size_t{7}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    RequestParser parser({});
    RequestHead head;
    const HeadRun<RequestHead> run = parse_head_in_steps(parser, c.wire, head, step);
    ASSERT_EQ(run.result.status, ParseStatus::done)
        << (run.result.error ? run.result.error->description : "");
    EXPECT_EQ(run.result.consumed, c.wire.size());
    expect_head(c, head);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Requests, ValidRequestTest,
    ::testing::Values(
        ValidRequest{"get", "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: api.example.com\r\n\r\n", "GET",
                     "/a/b?x=1&y=2", "/a/b", "x=1&y=2", 1, BodyFraming::none, 0, true, false,
                     "api.example.com", 1},
        ValidRequest{"post_content_length",
                     "POST /orders HTTP/1.1\r\nHost: h:8280\r\nContent-Length: 42\r\n"
                     "Content-Type: application/json\r\n\r\n",
                     "POST", "/orders", "/orders", "", 1, BodyFraming::content_length, 42, true,
                     false, "h:8280", 3},
        ValidRequest{"chunked_any_case",
                     "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ChunKed\r\n\r\n", "PUT",
                     "/x", "/x", "", 1, BodyFraming::chunked, 0, true, false, "h", 2},
        ValidRequest{"connection_close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                     "GET", "/", "/", "", 1, BodyFraming::none, 0, false, false, "h", 2},
        ValidRequest{"http10_default_close", "GET /old HTTP/1.0\r\n\r\n", "GET", "/old", "/old", "",
                     0, BodyFraming::none, 0, false, false, "", 0},
        ValidRequest{"http10_keep_alive",
                     "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: h\r\n\r\n", "GET", "/", "/",
                     "", 0, BodyFraming::none, 0, true, false, "h", 2},
        ValidRequest{"http10_close_wins_over_keep_alive",
                     "GET / HTTP/1.0\r\nConnection: keep-alive, Close\r\n\r\n", "GET", "/", "/", "",
                     0, BodyFraming::none, 0, false, false, "", 1},
        ValidRequest{"expect_continue",
                     "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
                     "Content-Length: 5\r\n\r\n",
                     "POST", "/u", "/u", "", 1, BodyFraming::content_length, 5, true, true, "h", 3},
        ValidRequest{"http10_expect_ignored",
                     "POST /u HTTP/1.0\r\nExpect: something\r\nContent-Length: 0\r\n\r\n", "POST",
                     "/u", "/u", "", 0, BodyFraming::content_length, 0, false, false, "", 2},
        ValidRequest{"absolute_form_authority_wins",
                     "GET http://Backend.example:8080/p/q?z HTTP/1.1\r\nHost: other\r\n\r\n", "GET",
                     "http://Backend.example:8080/p/q?z", "/p/q", "z", 1, BodyFraming::none, 0,
                     true, false, "Backend.example:8080", 1},
        ValidRequest{"absolute_form_no_path", "GET https://h HTTP/1.1\r\nHost: h\r\n\r\n", "GET",
                     "https://h", "/", "", 1, BodyFraming::none, 0, true, false, "h", 1},
        ValidRequest{"options_asterisk", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS", "*",
                     "*", "", 1, BodyFraming::none, 0, true, false, "h", 1},
        ValidRequest{"leading_empty_lines_ignored", "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
                     "GET", "/", "/", "", 1, BodyFraming::none, 0, true, false, "h", 1},
        ValidRequest{"ows_and_empty_values_and_obs_text",
                     "GET /%C3%A9?q={a|b} HTTP/1.1\r\nHost:h\r\nX-Empty:\r\nX-Pad: \t v \t\r\n"
                     "X-Latin: caf\xe9\r\n\r\n",
                     "GET", "/%C3%A9?q={a|b}", "/%C3%A9", "q={a|b}", 1, BodyFraming::none, 0, true,
                     false, "h", 4},
        ValidRequest{"ipv6_host", "GET / HTTP/1.1\r\nHost: [::1]:8243\r\n\r\n", "GET", "/", "/", "",
                     1, BodyFraming::none, 0, true, false, "[::1]:8243", 1},
        ValidRequest{"custom_method_and_huge_length",
                     "PURGE /c HTTP/1.1\r\nHost: h\r\nContent-Length: 18446744073709551615\r\n\r\n",
                     "PURGE", "/c", "/c", "", 1, BodyFraming::content_length,
                     18446744073709551615ull, true, false, "h", 2}),
    [](const auto& info) { return info.param.name; });

TEST(RequestParserTest, HeaderViewsPointIntoTheLastBuffer) {
  RequestParser parser({});
  RequestHead head;
  const std::string wire = "GET /v HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n";
  const auto run = parse_head_in_steps(parser, wire, head, 1);
  ASSERT_EQ(run.result.status, ParseStatus::done);
  ASSERT_EQ(head.headers.size(), 2u);
  EXPECT_EQ(head.headers[1].name, "X-A");
  EXPECT_EQ(head.headers[1].value, "1");
  const char* begin = run.buffer->data();
  EXPECT_GE(head.headers[1].value.data(), begin);
  EXPECT_LT(head.headers[1].value.data(), begin + run.buffer->size());
}

TEST(RequestParserTest, PipelinedRequestsStopAtTheEndOfTheFirst) {
  const std::string first = "POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
  const std::string second = "GET /two HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string wire = first + "abc" + second;

  RequestParser parser({});
  RequestHead head;
  HeadResult result = parser.parse_head(wire, head);
  ASSERT_EQ(result.status, ParseStatus::done);
  EXPECT_EQ(result.consumed, first.size());
  EXPECT_EQ(head.path, "/one");

  std::vector<std::string_view> pieces;
  const std::string_view rest = std::string_view(wire).substr(result.consumed);
  const BodyResult body = parser.parse_body(rest, pieces);
  EXPECT_TRUE(body.complete);
  EXPECT_EQ(body.consumed, 3u);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], "abc");

  parser.reset();
  result = parser.parse_head(rest.substr(body.consumed), head);
  ASSERT_EQ(result.status, ParseStatus::done);
  EXPECT_EQ(result.consumed, second.size());
  EXPECT_EQ(head.path, "/two");
  EXPECT_EQ(head.headers.size(), 1u);
}

TEST(RequestParserTest, NeedsMoreUntilTheEmptyLine) {
  RequestParser parser({});
  RequestHead head;
  EXPECT_EQ(parser.parse_head("GET / HTTP/1.1\r\nHost: h\r\n", head).status,
            ParseStatus::need_more);
  EXPECT_EQ(parser.parse_head("GET / HTTP/1.1\r\nHost: h\r\n\r", head).status,
            ParseStatus::need_more);
  EXPECT_EQ(parser.parse_head("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head).status, ParseStatus::done);
}

TEST(RequestParserTest, ErrorIsStickyUntilReset) {
  RequestParser parser({});
  RequestHead head;
  EXPECT_EQ(parser.parse_head("GET / HTTP/1.1\nHost: h\r\n\r\n", head).status, ParseStatus::error);
  const HeadResult again = parser.parse_head("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head);
  ASSERT_EQ(again.status, ParseStatus::error);
  EXPECT_EQ(again.error->status, 400);
  parser.reset();
  EXPECT_EQ(parser.parse_head("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head).status, ParseStatus::done);
}

TEST(RequestParserTest, LimitsAreInclusive) {
  ParserLimits limits;
  const std::string wire = "GET /abcd HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n";
  limits.max_header_bytes = wire.size();
  limits.max_headers = 2;
  limits.max_uri_length = 5;
  RequestParser parser(limits);
  RequestHead head;
  EXPECT_EQ(parser.parse_head(wire, head).status, ParseStatus::done);
}

TEST(RequestParserTest, RejectsTlsOnThePlainPortAtOnce) {
  RequestParser parser({});
  RequestHead head;
  const HeadResult result =
      parser.parse_head(std::string_view("\x16\x03\x01\x02\x00\x01", 6), head);
  ASSERT_EQ(result.status, ParseStatus::error);
  EXPECT_EQ(result.error->status, 400);
  EXPECT_THAT(result.error->description, HasSubstr("method contains the character 0x16"));
}

TEST(RequestParserTest, ReportsUriTooLongBeforeTheRequestLineEnds) {
  ParserLimits limits;
  limits.max_uri_length = 100;
  RequestParser parser(limits);
  RequestHead head;
  const std::string partial = "GET /" + std::string(200, 'a');
  const HeadResult result = parser.parse_head(partial, head);
  ASSERT_EQ(result.status, ParseStatus::error);
  EXPECT_EQ(result.error->status, 414);
}

}  // namespace
}  // namespace gatehouse::http
