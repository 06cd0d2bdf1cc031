// libFuzzer target: a request path through what the gateway does with it before routing: the
// request parser checks the request-target, then http::normalize_path gives the one form that is
// routed, authorised and forwarded. Input: [options] path...; options bits 0-1: escaped slashes
// (reject, keep, decode), bit 2: merge slashes, bit 3: keep semicolons.
//
// Checked: the normal form is a fixed point (normalising it again changes nothing); it has no
// dot-segment nor segment ending in a dot, no percent-encoded unreserved character, no lower-case
// percent-encoding, no "%00", no empty segment when slashes are merged, no ';' when path
// parameters are refused, no encoded slash or backslash when they are decoded;
// it is never longer than the path; and it is a path the gateway's own parser accepts, so the
// backend is sent what was authorised.
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/path_normalization.h"
#include "fuzz_require.h"
#include "http/parser.h"
#include "http/path_normalizer.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

PathNormalization options_of(uint8_t flags) {
  PathNormalization options;
  constexpr EscapedSlashes escaped[] = {EscapedSlashes::reject, EscapedSlashes::keep,
                                        EscapedSlashes::decode, EscapedSlashes::reject};
  options.escaped_slashes = escaped[flags & 3];
  options.merge_slashes = (flags & 4) != 0;
  options.semicolons = (flags & 8) != 0 ? Semicolons::keep : Semicolons::reject;
  return options;
}

bool unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case included: the normal form has none
}

// The path of a request whose target is `target`, as the parser gives it; false if refused.
bool parse_path(std::string_view target, std::string& request, http::RequestHead& head) {
  request = std::string("GET ").append(target).append(" HTTP/1.1\r\nHost: gw.test\r\n\r\n");
  http::RequestParser parser{http::ParserLimits{}};
  return parser.parse_head(request, head).status == http::ParseStatus::done;
}

void check_normal(std::string_view path, const PathNormalization& options) {
  require(path.starts_with('/'), "the normal form is absolute");
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') continue;
    require(i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0,
            "every percent-encoding is two upper-case hex digits");
    const char decoded = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
    require(!unreserved(decoded), "no unreserved character stays encoded");
    require(decoded != '\0', "no %00");
    if (options.escaped_slashes == EscapedSlashes::decode) {
      require(decoded != '/' && decoded != '\\', "no encoded slash when they are decoded");
    }
  }
  for (size_t start = 1; start <= path.size();) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    require(segment != "." && segment != "..", "no dot-segment");
    require(!segment.ends_with('.'), "no segment ends in a dot");
    if (options.semicolons == Semicolons::reject) {
      require(segment.find(';') == std::string_view::npos, "no path parameter when refused");
    }
    if (options.merge_slashes && end < path.size()) require(!segment.empty(), "no empty segment");
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const PathNormalization options = options_of(data[0]);
  const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string request;
  http::RequestHead head;
  if (!parse_path(target, request, head)) return 0;
  if (!head.path.starts_with('/')) return 0;  // "*" and absolute-form paths are not normalised

  std::string storage;
  const auto normal = http::normalize_path(head.path, options, storage);
  if (!normal) {
    require(normal.error().status == 400, "a refused path is a 400");
    return 0;
  }
  const std::string copy(*normal);
  require(copy.size() <= head.path.size(), "the normal form is never longer than the path");
  check_normal(copy, options);

  std::string again_storage;
  const auto again = http::normalize_path(copy, options, again_storage);
  require(again && *again == copy, "the normal form is its own normal form");

  std::string forwarded;
  http::RequestHead forwarded_head;
  require(parse_path("/base" + copy, forwarded, forwarded_head),
          "the normal form is a path the parser accepts");
  require(forwarded_head.path == "/base" + copy, "and reads back as itself");
  return 0;
}
