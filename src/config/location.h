// Where a value came from, for error messages (`file:line:col: message`).
#pragma once

#include <string>

namespace gatehouse::config {

struct Location {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

}  // namespace gatehouse::config
