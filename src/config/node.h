// A YAML node together with the file it came from, so that every consumer of the config (the
// loader, each policy's factory) can report errors as `file:line:col: message`.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "config/model.h"

namespace gatehouse::config {

struct Node {
  YAML::Node yaml;
  std::shared_ptr<const std::string> file;

  Location location() const {
    const YAML::Mark mark = yaml.Mark();
    return Location{file ? *file : std::string{}, mark.line + 1, mark.column + 1};
  }
  Node child(const YAML::Node& n) const { return Node{n, file}; }
};

}  // namespace gatehouse::config
