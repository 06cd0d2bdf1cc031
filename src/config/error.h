// A configuration error, printed as `file:line:col: message`.
#pragma once

#include <string>
#include <vector>

#include "config/model.h"

namespace gatehouse::config {

struct ConfigError {
  Location location;
  std::string message;

  std::string to_string() const {
    return location.file + ":" + std::to_string(location.line) + ":" +
           std::to_string(location.column) + ": " + message;
  }
};

using ConfigErrors = std::vector<ConfigError>;

}  // namespace gatehouse::config
