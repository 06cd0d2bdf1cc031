// "Did you mean" suggestions for misspelt config keys.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse::config {

// The candidate nearest to `word` by edit distance (insertions, deletions, substitutions), if it
// is at most `max_distance` edits away; the first such candidate on a tie.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates,
                                         size_t max_distance = 2);

}  // namespace gatehouse::config
