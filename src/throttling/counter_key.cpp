#include "throttling/counter_key.h"

#include <absl/hash/hash.h>

#include <tuple>

namespace gatehouse::throttling {

uint64_t counter_key(Level level, std::string_view first, std::string_view second,
                     std::string_view third) {
  const uint64_t key =
      absl::Hash<std::tuple<uint8_t, std::string_view, std::string_view, std::string_view>>{}(
          std::tuple(static_cast<uint8_t>(level), first, second, third));
  return key != 0 ? key : 1;  // 0 marks an empty slot
}

}  // namespace gatehouse::throttling
