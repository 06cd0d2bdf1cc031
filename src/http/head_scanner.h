// Finds where an HTTP/1.1 head ends in a buffer that grows between calls, without scanning a byte
// twice, and rejects the line endings that parsers disagree on (a bare LF, obs-fold): a proxy that
// reads them differently from the server behind it can be made to smuggle requests.
#pragma once

#include <cstddef>
#include <string_view>

namespace gatehouse::http {

class HeadScanner {
 public:
  enum class Step {
    need_more,   // no end yet within the bytes offered (or the limit)
    start_line,  // the start line has just been completed: check it, then call next() again
    end,         // the empty line that ends the head was found
    bad,         // see problem()
  };

  // Requests may be preceded by empty lines, which RFC 9112 section 2.2 asks a server to ignore.
  explicit HeadScanner(bool skip_leading_empty_lines)
      : skip_leading_empty_lines_(skip_leading_empty_lines) {}

  // `buffer` holds the message from its first byte; only its first `limit` bytes are looked at.
  Step next(std::string_view buffer, size_t limit);

  size_t start() const { return start_; }  // after skipped empty lines
  bool start_line_seen() const { return start_line_end_ != 0; }
  std::string_view start_line(std::string_view buffer) const {
    return buffer.substr(start_, start_line_end_ - start_ - 2);
  }
  size_t end() const { return end_; }  // one past the head's final CRLF
  const char* problem() const { return problem_; }

 private:
  bool skip_leading_empty_lines_;
  size_t start_ = 0;
  size_t line_start_ = 0;
  size_t scanned_ = 0;
  size_t start_line_end_ = 0;
  size_t end_ = 0;
  const char* problem_ = "";
};

}  // namespace gatehouse::http
