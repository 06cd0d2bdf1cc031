#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "http/parser.h"
#include "parser_test_support.h"

namespace gatehouse::http {
namespace {

using testing::BodyRun;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::parse_body_in_steps;
using testing::parse_head_in_steps;

struct ValidResponse {
  std::string name;
  std::string request_method;
  std::string wire;  // head, then body bytes
  int status;
  std::string reason;
  BodyFraming framing;
  uint64_t content_length;
  bool keep_alive;
  std::string body;  // decoded; for until_close, what arrived before finish()
};

void PrintTo(const ValidResponse& c, std::ostream* os) {
  *os << c.name;
}

class ValidResponseTest : public ::testing::TestWithParam<ValidResponse> {};

TEST_P(ValidResponseTest, ParsesHeadAndBodyWholeAndByteByByte) {
  const ValidResponse& c = GetParam();
  for (size_t step : {size_t{0}, size_t{1}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    ResponseParser parser({}, c.request_method);
    ResponseHead head;
    const auto run = parse_head_in_steps(parser, c.wire, head, step);
    ASSERT_EQ(run.result.status, ParseStatus::done)
        << (run.result.error ? run.result.error->description : "");
    EXPECT_EQ(head.status, c.status);
    EXPECT_EQ(head.reason, c.reason);
    EXPECT_EQ(head.framing, c.framing);
    EXPECT_EQ(head.content_length, c.content_length);
    EXPECT_EQ(head.keep_alive, c.keep_alive);

    BodyRun body = parse_body_in_steps(parser, c.wire.substr(run.result.consumed), step);
    ASSERT_FALSE(body.error) << body.error->description;
    EXPECT_EQ(body.body, c.body);
    if (c.framing == BodyFraming::until_close) {
      EXPECT_FALSE(body.complete);
      const BodyResult end = parser.finish();
      EXPECT_TRUE(end.complete);
      EXPECT_FALSE(end.error);
    } else {
      EXPECT_TRUE(body.complete);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Responses, ValidResponseTest,
    ::testing::Values(
        ValidResponse{"content_length", "GET",
                      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: b\r\n\r\nhello", 200, "OK",
                      BodyFraming::content_length, 5, true, "hello"},
        ValidResponse{"chunked", "POST",
                      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
                      201, "Created", BodyFraming::chunked, 0, true, "abcde"},
        ValidResponse{"until_close", "GET", "HTTP/1.1 200 OK\r\n\r\nstream until close", 200, "OK",
                      BodyFraming::until_close, 0, false, "stream until close"},
        ValidResponse{"http10_close", "GET", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", 200,
                      "OK", BodyFraming::content_length, 2, false, "hi"},
        ValidResponse{"http10_keep_alive", "GET",
                      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi",
                      200, "OK", BodyFraming::content_length, 2, true, "hi"},
        ValidResponse{"connection_close", "GET",
                      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi", 200,
                      "OK", BodyFraming::content_length, 2, false, "hi"},
        ValidResponse{"no_content_ignores_length", "DELETE",
                      "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", 204, "No Content",
                      BodyFraming::none, 0, true, ""},
        ValidResponse{"not_modified", "GET",
                      "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 304,
                      "Not Modified", BodyFraming::none, 0, true, ""},
        ValidResponse{"continue", "POST", "HTTP/1.1 100 Continue\r\n\r\n", 100, "Continue",
                      BodyFraming::none, 0, true, ""},
        ValidResponse{"head_response", "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n",
                      200, "OK", BodyFraming::none, 0, true, ""},
        ValidResponse{"head_response_chunked", "HEAD",
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 200, "OK",
                      BodyFraming::none, 0, true, ""},
        ValidResponse{"empty_reason", "GET", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", 404, "",
                      BodyFraming::content_length, 0, true, ""}),
    [](const auto& info) { return info.param.name; });

TEST(ResponseParserTest, ChunkedTrailersAreExposed) {
  ResponseParser parser({}, "GET");
  ResponseHead head;
  const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(parser.parse_head(wire, head).status, ParseStatus::done);
  const BodyRun run = parse_body_in_steps(parser, "1\r\nx\r\n0\r\nGrpc-Status: 0\r\n\r\n", 2);
  EXPECT_TRUE(run.complete);
  EXPECT_THAT(run.trailers, ElementsAre(Pair("Grpc-Status", "0")));
}

TEST(ResponseParserTest, ResetServesTheNextResponse) {
  ResponseParser parser({}, "HEAD");
  ResponseHead head;
  ASSERT_EQ(parser.parse_head("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", head).status,
            ParseStatus::done);
  EXPECT_EQ(head.framing, BodyFraming::none);
  parser.reset("GET");
  ASSERT_EQ(parser.parse_head("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", head).status,
            ParseStatus::done);
  EXPECT_EQ(head.framing, BodyFraming::content_length);
}

TEST(ResponseParserTest, CloseBeforeTheEndOfALengthBodyIsAnError) {
  ResponseParser parser({}, "GET");
  ResponseHead head;
  ASSERT_EQ(parser.parse_head("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", head).status,
            ParseStatus::done);
  std::vector<std::string_view> pieces;
  EXPECT_FALSE(parser.parse_body("abc", pieces).complete);
  const BodyResult end = parser.finish();
  ASSERT_TRUE(end.error.has_value());
  EXPECT_EQ(end.error->status, 502);
  EXPECT_THAT(end.error->description, HasSubstr("before the end of the response body"));
}

struct BadResponse {
  std::string name;
  std::string wire;
  std::string reason;
};

void PrintTo(const BadResponse& c, std::ostream* os) {
  *os << c.name;
}

class BadResponseTest : public ::testing::TestWithParam<BadResponse> {};

TEST_P(BadResponseTest, IsABadGateway) {
  const BadResponse& c = GetParam();
  for (size_t step : {size_t{0}, size_t{1}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    ParserLimits limits;
    limits.max_header_bytes = 512;
    ResponseParser parser(limits, "GET");
    ResponseHead head;
    const auto run = parse_head_in_steps(parser, c.wire, head, step);
    std::optional<ApiError> error = run.result.error;
    if (run.result.status == ParseStatus::done) {
      error = parse_body_in_steps(parser, c.wire.substr(run.result.consumed), step).error;
    }
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status, 502);
    EXPECT_THAT(error->description, HasSubstr("the backend's response is malformed"));
    EXPECT_THAT(error->description, HasSubstr(c.reason));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Responses, BadResponseTest,
    ::testing::Values(
        BadResponse{"cl_and_te",
                    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "both Content-Length and Transfer-Encoding"},
        BadResponse{"duplicate_cl",
                    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
                    "more than one Content-Length"},
        BadResponse{"te_gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                    "only 'chunked'"},
        BadResponse{"te_in_http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "HTTP/1.0"},
        BadResponse{"two_digit_status", "HTTP/1.1 20 OK\r\n\r\n", "3DIGIT"},
        BadResponse{"no_reason_space", "HTTP/1.1 200\r\n\r\n", "3DIGIT"},
        BadResponse{"status_600", "HTTP/1.1 600 Odd\r\n\r\n", "outside 100..599"},
        BadResponse{"version_2", "HTTP/2.0 200 OK\r\n\r\n", "unsupported HTTP version"},
        BadResponse{"not_http", "SSH-2.0-OpenSSH\r\n\r\n", "malformed HTTP version"},
        BadResponse{"ctl_in_reason", "HTTP/1.1 200 O\x01K\r\n\r\n", "control character 0x01"},
        BadResponse{"obs_fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\n\r\n", "folding"},
        BadResponse{"bare_lf", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "bare LF"},
        BadResponse{"leading_empty_line", "\r\nHTTP/1.1 200 OK\r\n\r\n", "malformed HTTP version"},
        BadResponse{"head_too_large",
                    "HTTP/1.1 200 OK\r\nX-A: " + std::string(600, 'a') + "\r\n\r\n",
                    "exceeds 512 bytes"},
        BadResponse{"bad_chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
                    "not a hexadecimal number"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gatehouse::http
