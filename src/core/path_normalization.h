// How request paths are normalised before they are routed (http/path_normalizer.h), as a
// listener's config says (docs/config.md, `listeners[].paths`).
#pragma once

#include <cstdint>

namespace gatehouse {

// What "%2F" and "%5C" in a path become: a 400, data that separates no segments, or '/'.
enum class EscapedSlashes : uint8_t { reject, keep, decode };
// What a ';' (path parameters) in a segment does: a 400, or nothing special.
enum class Semicolons : uint8_t { reject, keep };

struct PathNormalization {
  bool merge_slashes = true;
  EscapedSlashes escaped_slashes = EscapedSlashes::reject;
  Semicolons semicolons = Semicolons::reject;

  bool operator==(const PathNormalization&) const = default;
};

}  // namespace gatehouse
