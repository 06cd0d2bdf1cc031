// What a policy's config parser returns. Parsers read with config::MapReader, which collects
// every mistake; a factory reports one, the first in the file, as PolicyFactory::compile allows.
#pragma once

#include <algorithm>
#include <expected>
#include <tuple>

#include "config/error.h"

namespace gatehouse::policies {

template <class T>
using Parsed = std::expected<T, config::ConfigError>;

template <class T>
Parsed<T> parsed(T value, const config::ConfigErrors& errors) {
  if (errors.empty()) return value;
  return std::unexpected(*std::ranges::min_element(errors, {}, [](const config::ConfigError& e) {
    return std::tuple(e.location.line, e.location.column);
  }));
}

}  // namespace gatehouse::policies
