#include "http/head_scanner.h"

#include <algorithm>
#include <cstring>

namespace gatehouse::http {

HeadScanner::Step HeadScanner::next(std::string_view buffer, size_t limit) {
  const size_t available = std::min(buffer.size(), limit);
  while (true) {
    if (start_line_seen() && line_start_ < available &&
        (buffer[line_start_] == ' ' || buffer[line_start_] == '\t')) {
      problem_ = "obsolete line folding (a field line starting with a space or tab) is not allowed";
      return Step::bad;
    }
    if (scanned_ >= available) return Step::need_more;
    const void* lf = std::memchr(buffer.data() + scanned_, '\n', available - scanned_);
    if (lf == nullptr) {
      scanned_ = available;
      return Step::need_more;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(lf) - buffer.data());
    if (at == line_start_ || buffer[at - 1] != '\r') {
      problem_ = "a line ends in a bare LF; HTTP/1.1 lines end in CRLF";
      return Step::bad;
    }
    const bool empty_line = at - 1 == line_start_;
    line_start_ = scanned_ = at + 1;
    if (!start_line_seen()) {
      if (empty_line && skip_leading_empty_lines_) {
        start_ = line_start_;
        continue;
      }
      start_line_end_ = line_start_;
      return Step::start_line;
    }
    if (empty_line) {
      end_ = line_start_;
      return Step::end;
    }
  }
}

}  // namespace gatehouse::http
