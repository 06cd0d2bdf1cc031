// Incremental HTTP/1.1 parsers for the two directions: requests from clients, responses from
// backends. Built on Boost.Beast's basic_parser, held to RFC 9112's framing rules; every framing
// error is reported, never guessed around, because a lenient proxy is a request-smuggling proxy.
//
// Usage, per message:
//   1. parse_head(buffer) with the bytes from the start of the message; on need_more, read more,
//      append, and call again with the whole (longer) buffer. On done, `head` is filled with views
//      into `buffer` and `consumed` is the head's length.
//   2. parse_body(data) with the bytes after the head, as many times as needed; each call appends
//      the decoded body pieces (views into `data`) and returns how much of `data` it consumed.
//      When `complete` is true the message has ended (trailers, if any, are in `trailers`).
// A parser handles one message; make a new one (cheap, no allocation) for the next.
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
  size_t max_uri_length = 8 * 1024;     // requests only
};

enum class ParseStatus { need_more, done, error };

struct HeadResult {
  ParseStatus status = ParseStatus::need_more;
  size_t consumed = 0;            // on done: length of the head in bytes
  std::optional<ApiError> error;  // on error: 400, 414, 431, 501 with a description
};

struct BodyResult {
  size_t consumed = 0;
  bool complete = false;
  std::optional<ApiError> error;  // bad chunk framing: 400
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::http
