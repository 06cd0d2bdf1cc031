// A configuration error, printed as `file:line:col: message`, and the list of them one check
// collects.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/location.h"

namespace gatehouse::config {

struct ConfigError {
  Location location;
  std::string message;

  std::string to_string() const {
    return location.file + ":" + std::to_string(location.line) + ":" +
           std::to_string(location.column) + ": " + message;
  }
};

// The errors of one check, in file order (line, then column; errors at one place in the order
// they were reported). A file can hold millions of mistakes (one list item pasted over and over),
// so only the `kMaxKept` earliest in the file are kept and the others are only counted: memory
// stays bounded and a report stays readable, whatever the file.
class ConfigErrors {
 public:
  using value_type = ConfigError;
  using const_iterator = std::vector<ConfigError>::const_iterator;
  static constexpr size_t kMaxKept = 100;

  void push_back(ConfigError error);

  bool empty() const { return kept_.empty(); }
  // The errors kept, which are the first min(total(), kMaxKept) of the file.
  size_t size() const { return kept_.size(); }
  const ConfigError& front() const { return kept_.front(); }
  const ConfigError& operator[](size_t i) const { return kept_[i]; }
  const_iterator begin() const { return kept_.begin(); }
  const_iterator end() const { return kept_.end(); }

  // Every error reported, kept or not.
  size_t total() const { return kept_.size() + omitted_; }
  size_t omitted() const { return omitted_; }

  // What a user is shown: each kept error as `file:line:col: message`, then, when some were
  // omitted, "FILE: ... and N more errors (only the first 100 are shown)".
  std::vector<std::string> report() const;

 private:
  std::vector<ConfigError> kept_;
  size_t omitted_ = 0;
};

}  // namespace gatehouse::config
