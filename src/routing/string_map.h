// A flat hash map keyed by std::string that is looked up by std::string_view without a copy.
// Debian's abseil has its own string_view type, so its default string hasher does not take
// std::string_view; this one forwards to it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace gatehouse::routing {

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    return absl::Hash<absl::string_view>{}(absl::string_view(text.data(), text.size()));
  }
};

struct StringViewEqual {
  using is_transparent = void;
  bool operator()(std::string_view left, std::string_view right) const { return left == right; }
};

template <typename Value>
using StringMap = absl::flat_hash_map<std::string, Value, StringViewHash, StringViewEqual>;

}  // namespace gatehouse::routing
