// What a user sees of a config that did not load: each error as `file:line:col: message`. Empty
// when it loaded. Shared by the config tests that compare those lines.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "config/error.h"
#include "config/model.h"

namespace gatehouse::config {

inline std::vector<std::string> printed_errors(const std::expected<Config, ConfigErrors>& loaded) {
  std::vector<std::string> printed;
  if (loaded) return printed;
  for (const ConfigError& error : loaded.error()) printed.push_back(error.to_string());
  return printed;
}

}  // namespace gatehouse::config
