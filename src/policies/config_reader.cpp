#include "policies/config_reader.h"

#include <algorithm>
#include <charconv>

namespace gatehouse::policies {

namespace {

std::string comma_separated(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

config::ConfigError error_at(const config::Node& node, std::string message) {
  return config::ConfigError{node.location(), std::move(message)};
}

Parsed<void> check_mapping(const config::Node& node,
                           std::initializer_list<std::string_view> known) {
  auto entries = read_mapping(node);
  if (!entries) return std::unexpected(entries.error());
  for (const auto& [key, value] : *entries) {
    const std::string& name = key.yaml.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return std::unexpected(
          error_at(key, "unknown key '" + name + "'; expected one of: " + comma_separated(known)));
    }
  }
  return {};
}

std::optional<config::Node> find_key(const config::Node& mapping, std::string_view key) {
  for (auto it = mapping.yaml.begin(); it != mapping.yaml.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return mapping.child(it->second);
  }
  return std::nullopt;
}

Parsed<std::string> read_string(const config::Node& node, TextCheck check) {
  if (!node.yaml.IsScalar()) return std::unexpected(error_at(node, "expected a string"));
  const std::string& text = node.yaml.Scalar();
  if (check) {
    if (std::optional<std::string> problem = check(text)) {
      return std::unexpected(error_at(node, std::move(*problem)));
    }
  }
  return text;
}

Parsed<bool> read_bool(const config::Node& node) {
  if (node.yaml.IsScalar()) {
    if (node.yaml.Scalar() == "true") return true;
    if (node.yaml.Scalar() == "false") return false;
  }
  return std::unexpected(error_at(node, "expected true or false"));
}

Parsed<uint64_t> read_unsigned(const config::Node& node, uint64_t max) {
  const std::string expected = "expected a whole number from 0 to " + std::to_string(max);
  if (!node.yaml.IsScalar()) return std::unexpected(error_at(node, expected));
  const std::string& text = node.yaml.Scalar();
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max) {
    return std::unexpected(error_at(node, expected));
  }
  return value;
}

Parsed<std::vector<config::Node>> read_sequence(const config::Node& node) {
  if (!node.yaml.IsSequence()) return std::unexpected(error_at(node, "expected a list"));
  std::vector<config::Node> elements;
  elements.reserve(node.yaml.size());
  for (const YAML::Node& element : node.yaml) elements.push_back(node.child(element));
  return elements;
}

Parsed<std::vector<std::pair<config::Node, config::Node>>> read_mapping(const config::Node& node) {
  if (!node.yaml.IsMap()) return std::unexpected(error_at(node, "expected a mapping"));
  std::vector<std::pair<config::Node, config::Node>> entries;
  entries.reserve(node.yaml.size());
  for (auto it = node.yaml.begin(); it != node.yaml.end(); ++it) {
    config::Node key = node.child(it->first);
    if (!key.yaml.IsScalar()) return std::unexpected(error_at(key, "expected a plain key"));
    const bool repeated = std::any_of(entries.begin(), entries.end(), [&](const auto& entry) {
      return entry.first.yaml.Scalar() == key.yaml.Scalar();
    });
    if (repeated) {
      return std::unexpected(error_at(key, "key '" + key.yaml.Scalar() + "' is given twice"));
    }
    entries.emplace_back(std::move(key), node.child(it->second));
  }
  return entries;
}

Parsed<std::vector<std::string>> read_string_list(const config::Node& node, TextCheck check) {
  auto elements = read_sequence(node);
  if (!elements) return std::unexpected(elements.error());
  std::vector<std::string> values;
  values.reserve(elements->size());
  for (const config::Node& element : *elements) {
    auto value = read_string(element, check);
    if (!value) return std::unexpected(value.error());
    values.push_back(std::move(*value));
  }
  return values;
}

}  // namespace gatehouse::policies
