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

// A parser that has read this head.
class BodyTest : public ::testing::Test {
 protected:
  void read_head(const std::string& head_bytes) {
    head_wire_ = head_bytes;
    const HeadResult result = parser_.parse_head(head_wire_, head_);
    ASSERT_EQ(result.status, ParseStatus::done) << (result.error ? result.error->description : "");
  }

  void read_chunked_head() {
    read_head("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n");
  }

  ParserLimits limits_{};
  RequestParser parser_{limits_};
  RequestHead head_;
  std::string head_wire_;
};

TEST_F(BodyTest, ContentLengthBodySplitAcrossCalls) {
  read_head("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
  std::vector<std::string_view> pieces;
  BodyResult r = parser_.parse_body("hello", pieces);
  EXPECT_EQ(r.consumed, 5u);
  EXPECT_FALSE(r.complete);
  r = parser_.parse_body(" wor", pieces);
  EXPECT_EQ(r.consumed, 4u);
  EXPECT_FALSE(r.complete);
  r = parser_.parse_body("ldGET / HTTP/1.1\r\n", pieces);
  EXPECT_EQ(r.consumed, 2u);
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(pieces, ElementsAre("hello", " wor", "ld"));
}

TEST_F(BodyTest, NoBodyWithoutLengthOrChunked) {
  read_head("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  std::vector<std::string_view> pieces;
  const BodyResult r = parser_.parse_body("GET /next HTTP/1.1\r\n", pieces);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_TRUE(pieces.empty());
}

TEST_F(BodyTest, ZeroContentLengthIsCompleteAtOnce) {
  read_head("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  std::vector<std::string_view> pieces;
  EXPECT_TRUE(parser_.parse_body("", pieces).complete);
}

TEST_F(BodyTest, OneGibibyteContentLengthHasNoLimit) {
  read_head("PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n");
  EXPECT_EQ(head_.framing, BodyFraming::content_length);
  EXPECT_EQ(head_.content_length, 1073741824u);
  const std::string block(1 << 20, 'x');
  uint64_t total = 0;
  BodyResult r;
  for (int i = 0; i < 1024; ++i) {
    std::vector<std::string_view> pieces;
    r = parser_.parse_body(block, pieces);
    ASSERT_FALSE(r.error);
    total += r.consumed;
  }
  EXPECT_EQ(total, 1073741824u);
  EXPECT_TRUE(r.complete);
}

const std::string kChunked =
    "5;name=value\r\nhello\r\n"
    "6;a;b=\"q \\\" d\"\r\n world\r\n"
    "A\r\n, chunked!\r\n"
    "0;last\r\n"
    "X-Checksum: abc\r\n"
    "X-Count: 3\r\n"
    "\r\n";

TEST_F(BodyTest, ChunkedWithExtensionsAndTrailers) {
  for (size_t step : {size_t{0}, size_t{1}, size_t{3}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    parser_.reset();
    read_chunked_head();
    EXPECT_EQ(head_.framing, BodyFraming::chunked);
    const BodyRun run = parse_body_in_steps(parser_, kChunked + "GET", step);
    ASSERT_FALSE(run.error) << run.error->description;
    EXPECT_TRUE(run.complete);
    EXPECT_EQ(run.body, "hello world, chunked!");
    EXPECT_THAT(run.trailers, ElementsAre(Pair("X-Checksum", "abc"), Pair("X-Count", "3")));
    EXPECT_EQ(run.unconsumed, 3u);
  }
}

TEST_F(BodyTest, EmptyChunkedBody) {
  read_chunked_head();
  const BodyRun run = parse_body_in_steps(parser_, "0\r\n\r\n", 1);
  EXPECT_TRUE(run.complete);
  EXPECT_EQ(run.body, "");
  EXPECT_TRUE(run.trailers.empty());
}

TEST_F(BodyTest, LeadingZerosInChunkSizeAreFine) {
  read_chunked_head();
  const BodyRun run = parse_body_in_steps(parser_, "0003\r\nabc\r\n00\r\n\r\n");
  EXPECT_TRUE(run.complete);
  EXPECT_EQ(run.body, "abc");
}

TEST(TrailerLimitTest, MoreTrailerFieldsThanTheLimitAreRefused) {
  ParserLimits limits;
  limits.max_headers = 2;
  RequestParser parser(limits);
  RequestHead head;
  ASSERT_EQ(
      parser.parse_head("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", head)
          .status,
      ParseStatus::done);
  const BodyRun run = parse_body_in_steps(parser, "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->status, 400);
  EXPECT_THAT(run.error->description, HasSubstr("more than 2 trailer fields"));
}

struct BadChunk {
  std::string name;
  std::string body;
  std::string reason;
};

void PrintTo(const BadChunk& c, std::ostream* os) {
  *os << c.name;
}

class BadChunkTest : public ::testing::TestWithParam<BadChunk> {};

TEST_P(BadChunkTest, IsRefusedWith400) {
  const BadChunk& c = GetParam();
  for (size_t step : {size_t{0}, size_t{1}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    ParserLimits limits;
    limits.max_header_bytes = 512;
    RequestParser parser(limits);
    RequestHead head;
    const std::string head_wire =
        "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    ASSERT_EQ(parser.parse_head(head_wire, head).status, ParseStatus::done);
    const BodyRun run = parse_body_in_steps(parser, c.body, step);
    ASSERT_TRUE(run.error.has_value());
    EXPECT_EQ(run.error->status, 400);
    EXPECT_THAT(run.error->description, HasSubstr(c.reason));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Chunks, BadChunkTest,
    ::testing::Values(
        BadChunk{"not_hex", "zz\r\nhello\r\n0\r\n\r\n", "not a hexadecimal number"},
        BadChunk{"empty_size", "\r\nhello\r\n0\r\n\r\n", "not a hexadecimal number"},
        BadChunk{"negative", "-5\r\nhello\r\n0\r\n\r\n", "negative"},
        BadChunk{"overflow", "fffffffffffffffff\r\nx\r\n0\r\n\r\n", "overflows 64 bits"},
        BadChunk{"too_many_digits", "00000000000000005\r\nhello\r\n0\r\n\r\n",
                 "more than 16 hexadecimal digits"},
        BadChunk{"data_longer_than_size", "5\r\nhello!\r\n0\r\n\r\n", "not followed by CRLF"},
        BadChunk{"missing_crlf_after_data", "5\r\nhello0\r\n\r\n", "not followed by CRLF"},
        BadChunk{"bare_lf_after_size", "5\nhello\r\n0\r\n\r\n", "bare CR or LF"},
        BadChunk{"junk_after_size", "5x\r\nhello\r\n0\r\n\r\n", "malformed chunk extension"},
        BadChunk{"extension_without_name", "5;=v\r\nhello\r\n0\r\n\r\n",
                 "malformed chunk extension"},
        BadChunk{"extension_bad_value", "5;a=\"open\r\nhello\r\n0\r\n\r\n",
                 "malformed chunk extension"},
        BadChunk{"endless_size_line", "5;" + std::string(600, 'a'), "exceeds 512 bytes"},
        BadChunk{"endless_trailers", "0\r\nX-A: " + std::string(600, 'a'), "exceeds 512 bytes"},
        BadChunk{"long_extension_arriving_whole",
                 "5;" + std::string(600, 'a') + "\r\nhello\r\n0\r\n\r\n", "exceeds 512 bytes"},
        BadChunk{
            "long_trailers_arriving_whole",
            "0\r\nX-A: " + std::string(300, 'a') + "\r\nX-B: " + std::string(300, 'b') + "\r\n\r\n",
            "exceeds 512 bytes"},
        BadChunk{"trailer_content_length", "0\r\nContent-Length: 5\r\n\r\n",
                 "not allowed in a trailer"},
        BadChunk{"trailer_transfer_encoding", "0\r\nTransfer-Encoding: chunked\r\n\r\n",
                 "not allowed in a trailer"},
        BadChunk{"trailer_host", "0\r\nHost: evil\r\n\r\n", "not allowed in a trailer"},
        BadChunk{"trailer_obs_fold", "0\r\nX-A: a\r\n b\r\n\r\n", "obsolete line folding"},
        BadChunk{"trailer_space_before_colon", "0\r\nX-A : a\r\n\r\n",
                 "whitespace between the field name and the colon"},
        BadChunk{"trailer_ctl", "0\r\nX-A: a\x01\r\n\r\n", "control character 0x01"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gatehouse::http
