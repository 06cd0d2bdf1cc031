// A rejected input record: which list, which entry, and why, so that the config layer can point
// at the file and line it read that entry from.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gatehouse::identity {

enum class RecordKind { application, subscription, user };

struct StoreError {
  RecordKind kind;
  size_t index;  // into the list of that kind given to build()
  std::string message;
};

using StoreErrors = std::vector<StoreError>;

// A build reports at most this many errors: a broken file yields a readable list, not millions.
inline constexpr size_t max_store_errors = 100;

}  // namespace gatehouse::identity
