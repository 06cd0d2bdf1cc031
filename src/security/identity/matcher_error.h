// Why an entry of a restriction list was refused.
#pragma once

#include <cstddef>
#include <string>

namespace gatehouse::identity {

struct MatcherError {
  size_t entry;  // index into the list given to parse()
  std::string message;
};

}  // namespace gatehouse::identity
