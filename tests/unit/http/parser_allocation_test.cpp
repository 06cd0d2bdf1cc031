// The parsers sit on the hot path: once a connection has its parser and its head object, a
// message must be parsed without a single allocation. Counted with a replaced operator new.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "http/parser.h"

namespace {
bool counting = false;
size_t allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace gatehouse::http {
namespace {

size_t allocations_during(auto&& work) {
  allocations = 0;
  counting = true;
  work();
  counting = false;
  return allocations;
}

TEST(ParserAllocationTest, RequestWithFieldsAndChunkedBodyAllocatesNothingOnceWarm) {
  const std::string head_bytes =
      "POST /api/v1/orders?id=7 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: t\r\n"
      "Accept: */*\r\nAuthorization: Bearer abc\r\nContent-Type: application/json\r\n"
      "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string body = "5\r\nhello\r\n0\r\n\r\n";
  RequestParser parser({});
  RequestHead head;
  std::vector<std::string_view> pieces;
  pieces.reserve(8);
  auto parse_one = [&] {
    parser.reset();
    pieces.clear();
    ASSERT_EQ(parser.parse_head(head_bytes, head).status, ParseStatus::done);
    ASSERT_TRUE(parser.parse_body(body, pieces).complete);
  };
  // The first message gives the head's field vector its capacity (and shows the count works).
  EXPECT_GT(allocations_during(parse_one), 0u);
  EXPECT_EQ(allocations_during(parse_one), 0u);
  EXPECT_EQ(head.headers.size(), 10u);
}

TEST(ParserAllocationTest, ResponseAllocatesNothingOnceWarm) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: b\r\n\r\nok";
  ResponseParser parser({}, "GET");
  ResponseHead head;
  std::vector<std::string_view> pieces;
  pieces.reserve(8);
  auto parse_one = [&] {
    parser.reset("GET");
    pieces.clear();
    const HeadResult result = parser.parse_head(wire, head);
    ASSERT_EQ(result.status, ParseStatus::done);
    ASSERT_TRUE(parser.parse_body(std::string_view(wire).substr(result.consumed), pieces).complete);
  };
  parse_one();
  EXPECT_EQ(allocations_during(parse_one), 0u);
}

}  // namespace
}  // namespace gatehouse::http
