// Incremental HTTP/1.1 parsers for the two directions: requests from clients, responses from
// backends. Built on Boost.Beast's basic_parser, held to RFC 9112's framing rules; every framing
// error is reported, never guessed around, because a lenient proxy is a request-smuggling proxy.
//
// Usage, per message:
//   1. parse_head(buffer) with the bytes from the start of the message; on need_more, read more,
//      append, and call again with the whole (longer) buffer, which may have moved. On done, `head`
//      is filled with views into that last `buffer` and `consumed` is the head's length (bytes
//      after it belong to the body or to the next, pipelined, message).
//   2. parse_body(data) with the bytes after the head, as many times as needed; each call appends
//      the decoded body pieces (views into `data`, chunk framing removed) and returns how much of
//      `data` it consumed. Bytes not consumed (a chunk-size line or a trailer section cut short)
//      must be offered again, with more after them, at the start of the next call's `data`.
//      When `complete` is true the message has ended (trailers, if any, are in trailers(), as
//      views into the last `data`).
//   3. reset() before the next message on the same connection: the parser is reused, no
//      allocation.
// After an error the parser keeps answering with that error until reset().
//
// What is rejected, and how (requests; a response's faults are all 502 Bad Gateway, since the
// client did nothing wrong):
//   400  malformed request line, method or request-target (origin-form, absolute http(s)://
//        form, or '*' with OPTIONS only; no '#', no CTLs, no raw non-ASCII); bare LF; obs-fold;
//        NUL/CR/CTL in a field; whitespace before a colon; empty field name; Content-Length that
//        is not 1*DIGIT, overflows, or appears twice; Content-Length with Transfer-Encoding;
//        Transfer-Encoding in HTTP/1.0, twice, malformed, or not ending in chunked; no Host in
//        HTTP/1.1, or two of them; bad chunk sizes, chunk extensions or chunk CRLFs;
//        Content-Length, Transfer-Encoding or Host in a trailer.
//   414  a request-target over max_uri_length, found even before the request line ends.
//   417  an Expect other than 100-continue (HTTP/1.1; HTTP/1.0 expectations are ignored).
//   431  a head over max_header_bytes or with more than max_headers fields.
//   501  a Transfer-Encoding with codings other than chunked (gzip, chunked); CONNECT.
//   505  an HTTP version other than 1.0 and 1.1 (the HTTP/2 preface included).
// Responses with both Content-Length and Transfer-Encoding are rejected (not repaired): a backend
// that sends them is broken or hostile, and forwarding a repaired message would hide it.
// There is no body size limit here: the proxy counts body bytes against each API's own limit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/api_error.h"
#include "http/message.h"

namespace gatehouse::http {

struct ParserLimits {
  size_t max_header_bytes = 16 * 1024;  // request/status line + fields + final CRLF
  size_t max_headers = 100;
  size_t max_uri_length = 8 * 1024;  // requests only

  bool operator==(const ParserLimits&) const = default;
};

// A chunk-size line (extensions included) and a trailer section are each bounded by the smaller
// of max_header_bytes and this, however they arrive: a relay keeps at most this much undecoded
// between two reads (proxy/body_relay.h), so a larger one would pass or fail by how TCP split it.
inline constexpr size_t kMaxChunkSectionBytes = 4 * 1024;

enum class ParseStatus { need_more, done, error };

struct HeadResult {
  ParseStatus status = ParseStatus::need_more;
  size_t consumed = 0;            // on done: length of the head in bytes
  std::optional<ApiError> error;  // on error: 400, 414, 417, 431, 501, 505 (requests), 502
};

struct BodyResult {
  size_t consumed = 0;
  bool complete = false;
  std::optional<ApiError> error;  // bad chunk framing or trailers: 400 (requests), 502
};

class RequestParser {
 public:
  explicit RequestParser(const ParserLimits& limits);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  HeadResult parse_head(std::string_view buffer, RequestHead& head);
  BodyResult parse_body(std::string_view data, std::vector<std::string_view>& pieces);
  const std::vector<Header>& trailers() const;
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ResponseParser {
 public:
  // `request_method` decides whether the response has a body (none for HEAD; CONNECT unsupported).
  ResponseParser(const ParserLimits& limits, std::string_view request_method);
  ~ResponseParser();
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  HeadResult parse_head(std::string_view buffer, ResponseHead& head);
  BodyResult parse_body(std::string_view data, std::vector<std::string_view>& pieces);
  // For a body delimited by the connection closing: tells the parser the stream ended.
  BodyResult finish();
  const std::vector<Header>& trailers() const;
  // Prepares for the next response on the same connection, answering `request_method`.
  void reset(std::string_view request_method);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::http
