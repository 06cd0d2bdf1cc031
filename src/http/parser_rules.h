// The syntax rules of RFC 9110 and RFC 9112 that an HTTP/1.1 head must follow, as pure functions
// over views. The parsers (parser.cpp) check with them what Beast's basic_parser lets through, and
// use them to say precisely what is wrong when Beast rejects a line. No Beast here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/api_error.h"

namespace gatehouse::http::rules {

// tchar of RFC 9110 section 5.6.2: the characters of a token (methods, field names, codings).
bool is_tchar(char c);
bool is_hex_digit(char c);
// The value of a hexadecimal digit, or -1 for any other character.
int hex_value(char c);

struct RequestLine {
  std::string_view method;
  std::string_view target;
  std::string_view path;       // origin-form: target before '?'; absolute-form: its path, or "/"
  std::string_view query;      // after '?', without it
  std::string_view authority;  // absolute-form only: host[:port] of the target
  int version_minor = 1;
};

// Checks a complete request line (without its CRLF): method SP request-target SP HTTP-version.
// 400 for bad syntax, 414 for a target over `max_uri_length`, 505 for an HTTP version other than
// 1.0 and 1.1, 501 for CONNECT (no tunnels).
std::optional<ApiError> check_request_line(std::string_view line, size_t max_uri_length,
                                           RequestLine& out);

// How far check_request_line_prefix has looked, so that each call looks only at new bytes.
struct RequestLinePrefix {
  size_t checked = 0;
  size_t method_end = 0;  // index of the SP after the method; 0 until seen
  size_t target_end = 0;  // index of the SP after the target; 0 until seen
};

// Checks the beginning of a request line whose CRLF has not arrived yet, so that bytes that can
// never become a request (a TLS hello on the plain port) and a target already over the limit are
// answered at once rather than after the whole head limit has been read. Call it with the same
// `progress` for ever longer prefixes of one line.
std::optional<ApiError> check_request_line_prefix(std::string_view prefix, size_t max_uri_length,
                                                  RequestLinePrefix& progress);

struct StatusLine {
  int status = 0;
  std::string_view reason;
  int version_minor = 1;
};

// Checks a complete status line (without its CRLF): HTTP-version SP 3DIGIT SP reason-phrase, with
// a status in 100..599. Returns what is wrong, or nothing.
std::optional<std::string> check_status_line(std::string_view line, StatusLine& out);

// What is wrong with one field line (without its CRLF): obs-fold, an empty name, whitespace
// before the colon, a character outside tchar in the name, NUL, CR or another control character
// in the value. Nothing if the line is well-formed.
std::optional<std::string> describe_field_line(std::string_view line);

// Content-Length = 1*DIGIT that fits in 64 bits; nothing else (no lists, no signs, no spaces).
std::optional<std::string> parse_content_length(std::string_view value, uint64_t& out);

enum class TransferCoding {
  chunked,      // exactly "chunked", any case
  unsupported,  // well-formed, ends in chunked, but other codings come first (gzip, chunked)
  not_final,    // well-formed, but chunked is not the last coding: the length is unknowable
  malformed,    // not a list of tokens, or chunked given twice
};
TransferCoding classify_transfer_encoding(std::string_view value);

// Whether a comma-separated list of tokens (Connection) holds `token`, in any case.
bool list_has_token(std::string_view list, std::string_view token);
// Takes the first item off a comma-separated list and returns it without its surrounding
// whitespace (empty for an empty item).
std::string_view next_list_item(std::string_view& list);

// Host = uri-host [ ":" port ] (RFC 9110 section 7.2), the port at most 65535; empty is allowed.
bool is_valid_host(std::string_view value);

// Quotes a token from the input for a description: printable, bounded in length.
std::string quote(std::string_view token);

// Statuses core/api_error.h has no constructor for.
ApiError version_not_supported(std::string_view description);  // 505
ApiError expectation_failed(std::string_view description);     // 417

}  // namespace gatehouse::http::rules
