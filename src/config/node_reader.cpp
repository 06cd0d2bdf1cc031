#include "config/node_reader.h"

#include <algorithm>
#include <charconv>
#include <expected>
#include <type_traits>
#include <unordered_set>

#include "config/spelling.h"
#include "config/text_rules.h"
#include "config/units.h"

namespace gatehouse::config {
namespace {

std::string in_quotes(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  result.append(1, '\'').append(text).append(1, '\'');
  return result;
}

// How a value looks in a message: its text, or what kind of thing it is.
std::string describe(const Node& value) {
  switch (value.kind()) {
    case Node::Kind::scalar:
      return in_quotes(printable(value.scalar()));
    case Node::Kind::sequence:
      return value.size() == 0 ? "an empty list" : "a list";
    case Node::Kind::map:
      return "a map";
    case Node::Kind::null:
      break;
  }
  return "nothing";
}

// std::ranges::contains arrives with GCC 13.
template <class Range, class Value, class Projection = std::identity>
bool contains(const Range& range, const Value& value, Projection projection = {}) {
  return std::ranges::find(range, value, projection) != std::ranges::end(range);
}

void fail(ConfigErrors& errors, const Node& value, std::string_view name, std::string_view rule) {
  errors.push_back(value_error(value, name, rule));
}

std::string number_text(double number) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  return std::string(buffer, result.ptr);
}

// A scalar that is all of `text`, parsed by from_chars.
template <class T>
std::optional<T> parse_whole(std::string_view text) {
  T number{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return number;
}

// A scalar read by one of the notations of config/units.h.
template <class Parse>
auto read_notation(const Node& value, std::string_view name, ConfigErrors& errors, Parse parse)
    -> std::optional<typename std::invoke_result_t<Parse, std::string_view>::value_type> {
  if (!value.is_scalar()) {
    // Ask parse for its rule, so the message is the same as for a wrong scalar.
    fail(errors, value, name, parse("").error());
    return std::nullopt;
  }
  auto parsed = parse(value.scalar());
  if (!parsed) {
    fail(errors, value, name, parsed.error());
    return std::nullopt;
  }
  return *parsed;
}

}  // namespace

ConfigError value_error(const Node& value, std::string_view name, std::string_view rule) {
  return {value.location(), in_quotes(name) + " " + std::string(rule) + ", got " + describe(value)};
}

std::optional<std::string> read_string(const Node& value, std::string_view name,
                                       ConfigErrors& errors) {
  if (!value.is_scalar()) {
    fail(errors, value, name, "must be a string");
    return std::nullopt;
  }
  const std::string_view text = value.scalar();
  if (const std::optional<size_t> offset = find_text_violation(text)) {
    fail(errors, value, name,
         "must be UTF-8 text without control characters (byte " + std::to_string(*offset + 1) +
             " is not)");
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<bool> read_bool(const Node& value, std::string_view name, ConfigErrors& errors) {
  if (value.is_scalar() && value.scalar() == "true") return true;
  if (value.is_scalar() && value.scalar() == "false") return false;
  fail(errors, value, name, "must be true or false");
  return std::nullopt;
}

std::optional<int64_t> read_integer(const Node& value, std::string_view name, int64_t min,
                                    int64_t max, ConfigErrors& errors) {
  const std::optional<int64_t> number =
      value.is_scalar() ? parse_whole<int64_t>(value.scalar()) : std::nullopt;
  if (!number || *number < min || *number > max) {
    fail(errors, value, name,
         "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<double> read_number(const Node& value, std::string_view name, double min, double max,
                                  ConfigErrors& errors) {
  const std::optional<double> number =
      value.is_scalar() ? parse_whole<double>(value.scalar()) : std::nullopt;
  if (!number || !(*number >= min && *number <= max)) {
    fail(errors, value, name,
         "must be a number from " + number_text(min) + " to " + number_text(max));
    return std::nullopt;
  }
  return number;
}

std::optional<Millis> read_duration(const Node& value, std::string_view name,
                                    ConfigErrors& errors) {
  return read_notation(value, name, errors, &parse_duration);
}

std::optional<uint64_t> read_size(const Node& value, std::string_view name, ConfigErrors& errors) {
  return read_notation(value, name, errors, &parse_size);
}

std::optional<net::HostPort> read_host_port(const Node& value, std::string_view name,
                                            ConfigErrors& errors) {
  return read_notation(value, name, errors, &parse_host_port);
}

std::optional<net::HostPort> read_server_address(const Node& value, std::string_view name,
                                                 uint16_t default_port, ConfigErrors& errors) {
  return read_notation(value, name, errors, [default_port](std::string_view text) {
    return parse_server_address(text, default_port);
  });
}

std::optional<std::vector<Node>> read_list(const Node& value, std::string_view name,
                                           ConfigErrors& errors) {
  if (!value.is_sequence()) {
    fail(errors, value, name, "must be a list");
    return std::nullopt;
  }
  std::vector<Node> items;
  items.reserve(value.size());
  for (const Node& item : value.items()) items.push_back(item);
  return items;
}

std::optional<std::vector<std::string>> read_string_list(const Node& value, std::string_view name,
                                                         ConfigErrors& errors) {
  const std::optional<std::vector<Node>> items = read_list(value, name, errors);
  if (!items) return std::nullopt;
  std::vector<std::string> strings;
  bool valid = true;
  for (const Node& item : *items) {
    if (std::optional<std::string> text = read_string(item, name, errors)) {
      strings.push_back(std::move(*text));
    } else {
      valid = false;
    }
  }
  if (!valid) return std::nullopt;
  return strings;
}

std::optional<std::vector<std::pair<std::string, std::string>>> read_string_map(
    const Node& value, std::string_view name, ConfigErrors& errors) {
  if (!value.is_map()) {
    fail(errors, value, name, "must be a map");
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> entries;
  std::unordered_set<std::string_view> seen;
  const size_t errors_before = errors.total();
  for (const auto& [key, item] : value.entries()) {
    const std::optional<std::string> key_text = read_string(key, name, errors);
    if (!key_text) continue;
    if (!seen.insert(key.scalar()).second) {
      errors.push_back(
          {key.location(), "duplicate key " + in_quotes(*key_text) + " in " + in_quotes(name)});
      continue;
    }
    if (std::optional<std::string> text = read_string(item, *key_text, errors)) {
      entries.emplace_back(*key_text, std::move(*text));
    }
  }
  if (errors.total() != errors_before) return std::nullopt;
  return entries;
}

std::optional<size_t> read_choice_index(const Node& value, std::string_view name,
                                        std::span<const std::string_view> names,
                                        ConfigErrors& errors) {
  if (value.is_scalar()) {
    const auto found = std::ranges::find(names, value.scalar());
    if (found != names.end()) return size_t(found - names.begin());
  }
  std::string rule = "must be one of ";
  for (size_t i = 0; i < names.size(); ++i) {
    rule += (i == 0 ? "" : ", ") + std::string(names[i]);
  }
  fail(errors, value, name, rule);
  return std::nullopt;
}

MapReader::MapReader(const Node& map, std::string what, ConfigErrors& errors)
    : map_(map), what_(std::move(what)), errors_(errors) {
  if (!map_.is_map()) {
    errors_.push_back({map_.location(), what_ + " must be a map, got " + describe(map_)});
    return;
  }
  // The keys sorted, each with its entry; a key written twice keeps its first entry, and the
  // others are reported (a lookup would otherwise silently take one of them).
  index_.reserve(map_.size());
  for (uint32_t entry = 0; entry < map_.size(); ++entry) {
    index_.emplace_back(map_.key(entry).scalar(), entry);
  }
  std::ranges::stable_sort(index_, {}, &Key::first);
  size_t kept = 0;
  for (const auto& [key, entry] : index_) {
    if (kept != 0 && index_[kept - 1].first == key) {
      errors_.push_back(
          {map_.key(entry).location(), "duplicate key " + in_quotes(key) + " in " + what_});
      continue;
    }
    index_[kept++] = {key, entry};
  }
  index_.resize(kept);
}

std::optional<uint32_t> MapReader::find(std::string_view key) const {
  const auto found = std::ranges::lower_bound(index_, key, {}, &Key::first);
  if (found == index_.end() || found->first != key) return std::nullopt;
  return found->second;
}

std::optional<Node> MapReader::get(std::string_view key, Presence presence) {
  allow(key);
  if (!is_map()) return std::nullopt;
  if (const std::optional<uint32_t> entry = find(key)) {
    const Node value = map_.value(*entry);
    if (value.is_null()) {
      // yaml-cpp places an empty value at the next token, which may be lines away: point at the
      // key instead.
      errors_.push_back({map_.key(*entry).location(), in_quotes(key) + " has no value"});
      return std::nullopt;
    }
    return value;
  }
  if (presence == Presence::required) {
    errors_.push_back({map_.location(), "missing key " + in_quotes(key) + " in " + what_});
  }
  return std::nullopt;
}

void MapReader::allow(std::string_view key) {
  if (!contains(known_, key)) known_.emplace_back(key);
}

std::optional<Location> MapReader::key_location(std::string_view key) const {
  if (!is_map()) return std::nullopt;
  if (const std::optional<uint32_t> entry = find(key)) return map_.key(*entry).location();
  return std::nullopt;
}

void MapReader::finish() {
  if (!is_map()) return;
  for (const auto& [key_node, value] : map_.entries()) {
    const std::string_view key = key_node.scalar();
    if (contains(known_, key)) continue;
    std::string message = "unknown key " + in_quotes(printable(key)) + " in " + what_;
    if (const std::optional<std::string> near = closest_match(key, known_)) {
      message += " (did you mean " + in_quotes(*near) + "?)";
    }
    errors_.push_back({key_node.location(), std::move(message)});
  }
}

bool MapReader::read_string(std::string_view key, std::string& out, Presence presence) {
  const std::optional<Node> value = get(key, presence);
  if (!value) return false;
  std::optional<std::string> text = config::read_string(*value, key, errors_);
  if (!text) return false;
  if (presence == Presence::required && text->empty()) {
    errors_.push_back({value->location(), in_quotes(key) + " must not be empty"});
    return false;
  }
  out = std::move(*text);
  return true;
}

bool MapReader::read_bool(std::string_view key, bool& out, Presence presence) {
  return assign(get(key, presence), out,
                [&](const Node& value) { return config::read_bool(value, key, errors_); });
}

bool MapReader::read_duration(std::string_view key, Millis& out, Presence presence) {
  return assign(get(key, presence), out,
                [&](const Node& value) { return config::read_duration(value, key, errors_); });
}

bool MapReader::read_host_port(std::string_view key, net::HostPort& out, Presence presence) {
  return assign(get(key, presence), out,
                [&](const Node& value) { return config::read_host_port(value, key, errors_); });
}

bool MapReader::read_string_list(std::string_view key, std::vector<std::string>& out,
                                 Presence presence) {
  return assign(get(key, presence), out,
                [&](const Node& value) { return config::read_string_list(value, key, errors_); });
}

bool MapReader::read_number(std::string_view key, double& out, double min, double max,
                            Presence presence) {
  return assign(get(key, presence), out, [&](const Node& value) {
    return config::read_number(value, key, min, max, errors_);
  });
}

}  // namespace gatehouse::config
