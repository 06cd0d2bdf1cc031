// Every request a strict HTTP/1.1 front end must refuse, with the status and the reason a client
// sees. Each is parsed whole and byte by byte: both must refuse it the same way.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "http/parser.h"
#include "parser_test_support.h"

namespace gatehouse::http {
namespace {

using ::testing::HasSubstr;
using testing::parse_head_in_steps;
using namespace std::string_literals;

struct Attack {
  std::string name;
  std::string wire;
  int status;
  std::string reason;  // a part of the description
};

void PrintTo(const Attack& a, std::ostream* os) {
  *os << a.name;
}

std::string request(std::string_view fields, std::string_view line = "POST /p HTTP/1.1") {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n";
}

class RequestAttackTest : public ::testing::TestWithParam<Attack> {};

TEST_P(RequestAttackTest, IsRefused) {
  const Attack& a = GetParam();
  for (size_t step : {size_t{0}, size_t{1}}) {
    SCOPED_TRACE("step " + std::to_string(step));
    ParserLimits limits;
    limits.max_header_bytes = 1024;
    limits.max_headers = 8;
    limits.max_uri_length = 256;
    RequestParser parser(limits);
    RequestHead head;
    const HeadResult result = parse_head_in_steps(parser, a.wire, head, step).result;
    ASSERT_EQ(result.status, ParseStatus::error);
    ASSERT_TRUE(result.error.has_value());
    EXPECT_EQ(result.error->status, a.status);
    EXPECT_THAT(result.error->description, HasSubstr(a.reason));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Framing, RequestAttackTest,
    ::testing::Values(
        Attack{"cl_then_te",
               request("Host: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400,
               "both Content-Length and Transfer-Encoding"},
        Attack{"te_then_cl",
               request("Host: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400,
               "both Content-Length and Transfer-Encoding"},
        Attack{"duplicate_equal_cl",
               request("Host: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n"), 400,
               "more than one Content-Length"},
        Attack{"duplicate_different_cl",
               request("Host: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n"), 400,
               "more than one Content-Length"},
        Attack{"cl_list", request("Host: h\r\nContent-Length: 5, 5\r\n"), 400,
               "not a decimal number"},
        Attack{"cl_negative", request("Host: h\r\nContent-Length: -1\r\n"), 400,
               "not a decimal number"},
        Attack{"cl_plus", request("Host: h\r\nContent-Length: +5\r\n"), 400,
               "not a decimal number"},
        Attack{"cl_hex", request("Host: h\r\nContent-Length: 0x10\r\n"), 400,
               "not a decimal number"},
        Attack{"cl_inner_space", request("Host: h\r\nContent-Length: 1 0\r\n"), 400,
               "not a decimal number"},
        Attack{"cl_empty", request("Host: h\r\nContent-Length:\r\n"), 400,
               "Content-Length is empty"},
        Attack{"cl_overflow", request("Host: h\r\nContent-Length: 18446744073709551616\r\n"), 400,
               "overflows 64 bits"},
        Attack{"te_gzip_chunked", request("Host: h\r\nTransfer-Encoding: gzip, chunked\r\n"), 501,
               "only 'chunked'"},
        Attack{"te_gzip", request("Host: h\r\nTransfer-Encoding: gzip\r\n"), 400,
               "does not end in 'chunked'"},
        Attack{"te_chunked_gzip", request("Host: h\r\nTransfer-Encoding: chunked, gzip\r\n"), 400,
               "does not end in 'chunked'"},
        Attack{"te_identity", request("Host: h\r\nTransfer-Encoding: identity\r\n"), 400,
               "does not end in 'chunked'"},
        Attack{"te_chunked_twice", request("Host: h\r\nTransfer-Encoding: chunked, chunked\r\n"),
               400, "is malformed"},
        Attack{"te_garbage", request("Host: h\r\nTransfer-Encoding: chunked;x=\"y\"\r\n"), 400,
               "is malformed"},
        Attack{"te_empty_element", request("Host: h\r\nTransfer-Encoding: ,chunked\r\n"), 400,
               "is malformed"},
        Attack{"te_two_fields",
               request("Host: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
               400, "more than one Transfer-Encoding"},
        Attack{"te_in_http10", request("Transfer-Encoding: chunked\r\n", "POST /p HTTP/1.0"), 400,
               "HTTP/1.0"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    FieldSyntax, RequestAttackTest,
    ::testing::Values(
        Attack{"obs_fold", request("Host: h\r\nX-A: a\r\n b\r\n"), 400, "obsolete line folding"},
        Attack{"obs_fold_tab", request("Host: h\r\nX-A: a\r\n\tb\r\n"), 400,
               "obsolete line folding"},
        Attack{"first_line_folded", request(" Host: h\r\n"), 400, "obsolete line folding"},
        Attack{"nul_in_value", request("Host: h\r\nX-A: a\0b\r\n"s), 400, "NUL"},
        Attack{"bare_cr_in_value", request("Host: h\r\nX-A: a\rb\r\n"), 400, "bare CR"},
        Attack{"ctl_in_value", request("Host: h\r\nX-A: a\x01z\r\n"), 400,
               "control character 0x01"},
        Attack{"del_in_value", request("Host: h\r\nX-A: a\x7fz\r\n"), 400,
               "control character 0x7F"},
        Attack{"nul_in_name", request("Host: h\r\nX\0A: b\r\n"s), 400, "field name contains a NUL"},
        Attack{"space_before_colon", request("Host: h\r\nContent-Length : 5\r\n"), 400,
               "whitespace between the field name and the colon"},
        Attack{"tab_before_colon", request("Host: h\r\nX-A\t: 5\r\n"), 400,
               "whitespace between the field name and the colon"},
        Attack{"empty_name", request("Host: h\r\n: x\r\n"), 400, "empty field name"},
        Attack{"no_colon", request("Host: h\r\nX-A x\r\n"), 400, "no colon"},
        Attack{"separator_in_name", request("Host: h\r\nX(A): x\r\n"), 400,
               "field name contains the character 0x28"},
        Attack{"bare_lf_field", request("Host: h\nX-A: b\r\n"), 400, "bare LF"},
        Attack{"bare_lf_request_line", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400, "bare LF"},
        Attack{"bare_lf_end", "GET / HTTP/1.1\r\nHost: h\r\n\n", 400, "bare LF"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    RequestLine, RequestAttackTest,
    ::testing::Values(
        Attack{"method_separator", request("Host: h\r\n", "GE(T / HTTP/1.1"), 400,
               "method contains the character 0x28"},
        Attack{"leading_space", request("Host: h\r\n", " GET / HTTP/1.1"), 400, "no method"},
        Attack{"double_space", request("Host: h\r\n", "GET  / HTTP/1.1"), 400,
               "more than one space"},
        Attack{"space_in_target", request("Host: h\r\n", "GET /a b HTTP/1.1"), 400,
               "space inside the request target"},
        Attack{"relative_target", request("Host: h\r\n", "GET index.html HTTP/1.1"), 400,
               "absolute path"},
        Attack{"fragment", request("Host: h\r\n", "GET /a#frag HTTP/1.1"), 400, "fragment"},
        Attack{"ctl_in_target", request("Host: h\r\n", "GET /a\x01 HTTP/1.1"), 400,
               "character 0x01"},
        Attack{"raw_utf8_in_target", request("Host: h\r\n", "GET /caf\xc3\xa9 HTTP/1.1"), 400,
               "character 0xC3"},
        Attack{"backslash_in_target", request("Host: h\r\n", "GET /a\\..\\b HTTP/1.1"), 400,
               "character 0x5C"},
        Attack{"bad_percent", request("Host: h\r\n", "GET /a%2 HTTP/1.1"), 400,
               "two hexadecimal digits"},
        Attack{"asterisk_without_options", request("Host: h\r\n", "GET * HTTP/1.1"), 400,
               "only with OPTIONS"},
        Attack{"other_scheme", request("Host: h\r\n", "GET ftp://h/x HTTP/1.1"), 400,
               "http(s) URI"},
        Attack{"absolute_without_host", request("Host: h\r\n", "GET http:///x HTTP/1.1"), 400,
               "authority"},
        Attack{"absolute_with_userinfo", request("Host: h\r\n", "GET http://u@h/x HTTP/1.1"), 400,
               "authority"},
        Attack{"connect", request("Host: h\r\n", "CONNECT h:443 HTTP/1.1"), 501, "CONNECT"},
        Attack{"http09", request("Host: h\r\n", "GET /"), 400, "no HTTP version"},
        Attack{"lowercase_version", request("Host: h\r\n", "GET / http/1.1"), 400,
               "malformed HTTP version"},
        Attack{"short_version", request("Host: h\r\n", "GET / HTTP/1"), 400,
               "malformed HTTP version"},
        Attack{"version_12", request("Host: h\r\n", "GET / HTTP/1.2"), 505, "HTTP/1.2"},
        Attack{"http2_preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/2.0"},
        Attack{"no_host", request("Accept: */*\r\n", "GET / HTTP/1.1"), 400, "must have a Host"},
        Attack{"two_hosts", request("Host: a\r\nHost: a\r\n", "GET / HTTP/1.1"), 400,
               "more than one Host"},
        Attack{"bad_host", request("Host: a/b\r\n", "GET / HTTP/1.1"), 400, "not a valid host"},
        Attack{"bad_host_port", request("Host: a:8o\r\n", "GET / HTTP/1.1"), 400,
               "not a valid host"},
        Attack{"host_port_over_65535", request("Host: a:99999\r\n", "GET / HTTP/1.1"), 400,
               "not a valid host"},
        Attack{"host_port_overflowing", request("Host: a:4294967377\r\n", "GET / HTTP/1.1"), 400,
               "not a valid host"},
        Attack{"ipv6_host_port_over_65535", request("Host: [::1]:65536\r\n", "GET / HTTP/1.1"), 400,
               "not a valid host"},
        Attack{"absolute_target_port_over_65535",
               request("Host: h\r\n", "GET http://h:70000/x HTTP/1.1"), 400, "authority"},
        Attack{"expect_empty", request("Host: h\r\nExpect:\r\n"), 417, "100-continue"},
        Attack{"expect_other", request("Host: h\r\nExpect: 200-ok\r\n"), 417, "100-continue"}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Limits, RequestAttackTest,
    ::testing::Values(
        Attack{"head_too_large", request("Host: h\r\nX-Big: " + std::string(1100, 'a') + "\r\n"),
               431, "exceed"},
        Attack{
            "too_many_fields",
            request("Host: h\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n"),
            431, "exceed"},
        Attack{"uri_too_long",
               request("Host: h\r\n", "GET /" + std::string(300, 'a') + " HTTP/1.1"), 414, "256"},
        Attack{"uri_longer_than_head_limit",
               request("Host: h\r\n", "GET /" + std::string(2000, 'a') + " HTTP/1.1"), 414, "256"},
        Attack{"method_longer_than_head_limit",
               request("Host: h\r\n", std::string(2000, 'G') + " / HTTP/1.1"), 431, "exceed"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gatehouse::http
