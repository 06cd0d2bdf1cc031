#include "http/path_normalizer.h"

#include <cstring>
#include <optional>

#include "http/parser_rules.h"

namespace gatehouse::http {

namespace {

char upper_hex(char c) {
  return c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c;
}

// RFC 3986 section 2.3: characters that mean the same encoded or not.
bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Whether `path` is normal as it stands: no percent-encoding or ';' to look at, no segment that
// starts or ends with '.', no empty segment to merge. One pass, no copy: most paths are.
bool already_normal(std::string_view path, const PathNormalization& options) {
  const size_t n = path.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = path[i];
    if (c == '%' || c == ';') return false;
    const char next = i + 1 < n ? path[i + 1] : '/';
    if (c == '/' && (next == '.' || (next == '/' && options.merge_slashes && i + 1 < n))) {
      return false;
    }
    if (c == '.' && next == '/') return false;
  }
  return true;
}

ApiError refused(std::string_view what) {
  return errors::bad_request("The request path " + std::string(what) + ".");
}

// Step 1 and 2: percent-decoding into `out`.
std::optional<ApiError> decode(std::string_view path, EscapedSlashes escaped_slashes,
                               std::string& out) {
  out.clear();
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    const bool whole = i + 2 < path.size();
    const int high = whole ? rules::hex_value(path[i + 1]) : -1;
    const int low = whole ? rules::hex_value(path[i + 2]) : -1;
    if (high < 0 || low < 0) return refused("has a '%' not followed by two hexadecimal digits");
    const auto byte = static_cast<unsigned char>(high * 16 + low);
    if (byte == 0) return refused("contains an encoded NUL (%00)");
    const bool slash = byte == '/' || byte == '\\';
    if (is_unreserved(byte) || (slash && escaped_slashes == EscapedSlashes::decode)) {
      out.push_back(slash ? '/' : static_cast<char>(byte));
    } else if (slash && escaped_slashes == EscapedSlashes::reject) {
      return refused("contains an encoded slash or backslash (%2F, %5C), which is not accepted");
    } else {
      out.push_back('%');
      out.push_back(upper_hex(path[i + 1]));
      out.push_back(upper_hex(path[i + 2]));
    }
    i += 2;
  }
  return std::nullopt;
}

// Steps 3 to 6 on the decoded path, in place: what is written never overtakes what is read.
std::optional<ApiError> resolve_segments(std::string& path, const PathNormalization& options) {
  const size_t n = path.size();
  size_t written = 0;
  size_t read = 0;  // at the '/' that starts the next segment
  while (read < n) {
    const size_t begin = read + 1;
    size_t end = path.find('/', begin);
    if (end == std::string::npos) end = n;
    const std::string_view segment(path.data() + begin, end - begin);
    const bool last = end == n;
    read = end;

    const size_t semicolon = segment.find(';');
    if (semicolon != std::string_view::npos) {
      const std::string_view name = segment.substr(0, semicolon);
      if (name == "." || name == "..") return refused("contains a dot-segment with parameters");
      if (options.semicolons == Semicolons::reject) {
        return refused("contains a ';' (path parameters), which is not accepted");
      }
    }
    if (segment == "..") {
      // Removes the last segment written: back to the '/' that began it.
      while (written > 0 && path[--written] != '/') {
      }
    }
    if (segment == "." || segment == ".." || segment.empty()) {
      // The last segment leaves its '/' behind ("/a/b/.." is "/a/"); an empty one in the middle
      // stays only when slashes are not merged.
      if (last || (segment.empty() && !options.merge_slashes)) path[written++] = '/';
      continue;
    }
    if (segment.back() == '.') return refused("has a segment ending in '.'");
    path[written++] = '/';
    std::memmove(path.data() + written, segment.data(), segment.size());
    written += segment.size();
  }
  path.resize(written);
  if (path.empty()) path.push_back('/');
  return std::nullopt;
}

}  // namespace

std::expected<std::string_view, ApiError> normalize_path(std::string_view path,
                                                         const PathNormalization& options,
                                                         std::string& storage) {
  if (!path.starts_with('/') || already_normal(path, options)) return path;
  if (auto error = decode(path, options.escaped_slashes, storage)) {
    return std::unexpected(std::move(*error));
  }
  if (auto error = resolve_segments(storage, options)) return std::unexpected(std::move(*error));
  return std::string_view(storage);
}

}  // namespace gatehouse::http
