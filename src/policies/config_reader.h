// Reading policy config nodes: each function checks the node's YAML shape and returns its value,
// or a ConfigError at the node's own line and column. Kept to what the policies need, and to be
// replaced by the config layer's typed node reader once it exists.
#pragma once

#include <cstdint>
#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/error.h"
#include "config/node.h"

namespace gatehouse::policies {

template <class T>
using Parsed = std::expected<T, config::ConfigError>;

config::ConfigError error_at(const config::Node& node, std::string message);

// Validates a scalar's text; returns why it is wrong, or nothing when it is right.
using TextCheck = std::optional<std::string> (*)(std::string_view text);

// Fails unless `node` is a mapping whose keys are all among `known`, each at most once. The error
// for an unknown key points at that key and lists the known ones.
Parsed<void> check_mapping(const config::Node& node, std::initializer_list<std::string_view> known);

// The value of `key` in a mapping already checked by check_mapping, if present.
std::optional<config::Node> find_key(const config::Node& mapping, std::string_view key);

Parsed<std::string> read_string(const config::Node& node, TextCheck check = nullptr);
Parsed<bool> read_bool(const config::Node& node);  // `true` or `false`, nothing else
Parsed<uint64_t> read_unsigned(const config::Node& node, uint64_t max);

// A sequence's elements, and a mapping's key/value pairs in document order (keys unique).
Parsed<std::vector<config::Node>> read_sequence(const config::Node& node);
Parsed<std::vector<std::pair<config::Node, config::Node>>> read_mapping(const config::Node& node);

// A sequence of strings, each checked; the error points at the offending element.
Parsed<std::vector<std::string>> read_string_list(const config::Node& node,
                                                  TextCheck check = nullptr);

}  // namespace gatehouse::policies
