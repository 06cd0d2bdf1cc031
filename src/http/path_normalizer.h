// The request path the gateway routes, authorises and forwards: one canonical form of what the
// client sent, so that the resource whose policies ran and the resource the backend serves are
// the same, whatever the backend decodes or normalises itself (RFC 3986 section 6, as Envoy's
// `normalize_path`, `merge_slashes` and `path_with_escaped_slashes_action` do).
//
// In order:
//   1. percent-encoded unreserved characters (ALPHA DIGIT - . _ ~) are decoded; every other
//      percent-encoding is kept, its hex digits upper-cased ("%2f" and "%2F" are one spelling);
//      "%00" is refused;
//   2. "%2F" and "%5C" (an encoded slash or backslash) are refused, kept as they are, or decoded
//      to '/', by `escaped_slashes`;
//   3. segments with a ';' (path parameters, which Tomcat and Spring strip before they route) are
//      refused unless `semicolons` keeps them; a dot-segment with parameters ("..;x") always is;
//   4. a segment ending in '.' other than a dot-segment is refused (Windows servers drop the dot);
//   5. empty segments are merged ("//" → "/") when `merge_slashes`;
//   6. dot-segments are removed (RFC 3986 section 5.2.4); ".." at the root stays at the root.
// What is kept encoded ("%25" among it) is decoded by no one before the backend, which decodes
// it once: a double encoding reaches the backend as the single encoding the client wrote.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "core/api_error.h"
#include "core/path_normalization.h"

namespace gatehouse::http {

// The normal form of `path` (a request path without its query, as the parser checked it: only
// RFC 3986 pchars, '/' and well-formed percent-encodings), or a 400 saying what was refused.
// The result views `path` itself when it is already normal (no copy: the common case), or
// `storage` otherwise. A path that does not start with '/' ("*") is returned as it is.
std::expected<std::string_view, ApiError> normalize_path(std::string_view path,
                                                         const PathNormalization& options,
                                                         std::string& storage);

}  // namespace gatehouse::http
