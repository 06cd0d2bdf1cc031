#include "proxy/path_check.h"

namespace gatehouse::proxy {

namespace {

// "." or "..", each dot possibly written as %2e or %2E.
bool is_dot_segment(std::string_view segment) {
  int dots = 0;
  while (!segment.empty()) {
    if (segment.front() == '.') {
      segment.remove_prefix(1);
    } else if (segment.size() >= 3 && segment[0] == '%' && segment[1] == '2' &&
               (segment[2] == 'e' || segment[2] == 'E')) {
      segment.remove_prefix(3);
    } else {
      return false;
    }
    if (++dots > 2) return false;
  }
  return dots > 0;
}

}  // namespace

std::optional<ApiError> check_path(std::string_view path) {
  if (path.find('.') == std::string_view::npos && path.find('%') == std::string_view::npos) {
    return std::nullopt;  // the common case, decided in one pass
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (is_dot_segment(path.substr(start, end - start))) {
      return errors::bad_request("The request path contains a dot-segment.");
    }
    start = end + 1;
  }
  for (size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] == '%' && path[i + 1] == '0' && path[i + 2] == '0') {
      return errors::bad_request("The request path contains an encoded NUL.");
    }
  }
  return std::nullopt;
}

}  // namespace gatehouse::proxy
