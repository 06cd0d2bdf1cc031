// Typed reading of config YAML, shared by the loader and by policy factories. Every wrong value
// becomes a ConfigError located at that value, every unknown key one located at the key, and
// reading goes on after an error, so that one pass reports all the mistakes of a file.
//
// A policy factory reads its node (the map that also holds the loader's `type:` key) like this:
//
//   config::ConfigErrors errors;
//   config::MapReader map(node, "rewrite_path policy", errors);
//   map.allow("type");                        // read by the loader already
//   std::string pattern;
//   map.read_string("pattern", pattern, config::Presence::required);
//   config::Millis ttl{5'000};                // a default stays when its key is absent
//   map.read_duration("ttl", ttl);
//   if (std::optional<config::Node> set = map.get("set")) {
//     auto headers = config::read_string_map(*set, "set", errors);
//   }
//   map.finish();                             // "unknown key 'x' in rewrite_path policy"
//   if (!errors.empty()) return std::unexpected(errors.front());
//
// Messages name the key and the rule: `'ttl' must be a duration like 500ms, 5s or 2m, got 'x'`.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/error.h"
#include "config/model.h"
#include "config/node.h"

namespace gatehouse::config {

// An error at `value` worded like the readers' own: "'<name>' <rule>, got <value>", for rules a
// caller checks itself (`value_error(node, "path", "must start with '/'")`).
ConfigError value_error(const Node& value, std::string_view name, std::string_view rule);

// ---- One value. `name` is the key the value belongs to, as the user wrote it; it is only used
// in messages. On a wrong value these append an error located at the value and return nullopt.

std::optional<std::string> read_string(const Node& value, std::string_view name,
                                       ConfigErrors& errors);
// Only `true` and `false`: YAML 1.1's yes/no/on/off are too easy to write by accident.
std::optional<bool> read_bool(const Node& value, std::string_view name, ConfigErrors& errors);
std::optional<int64_t> read_integer(const Node& value, std::string_view name, int64_t min,
                                    int64_t max, ConfigErrors& errors);
std::optional<double> read_number(const Node& value, std::string_view name, double min, double max,
                                  ConfigErrors& errors);
// Notations: config/units.h. Durations must be greater than 0.
std::optional<Millis> read_duration(const Node& value, std::string_view name, ConfigErrors& errors);
std::optional<uint64_t> read_size(const Node& value, std::string_view name, ConfigErrors& errors);
std::optional<net::HostPort> read_host_port(const Node& value, std::string_view name,
                                            ConfigErrors& errors);
// A server to connect to, its port `default_port` when not written (config/units.h).
std::optional<net::HostPort> read_server_address(const Node& value, std::string_view name,
                                                 uint16_t default_port, ConfigErrors& errors);
// The items of a YAML list, each with its own location.
std::optional<std::vector<Node>> read_list(const Node& value, std::string_view name,
                                           ConfigErrors& errors);
std::optional<std::vector<std::string>> read_string_list(const Node& value, std::string_view name,
                                                         ConfigErrors& errors);
// A map of string to string, in the order written (for header names and values, say); a key
// written twice is an error.
std::optional<std::vector<std::pair<std::string, std::string>>> read_string_map(
    const Node& value, std::string_view name, ConfigErrors& errors);
// The index into `names` of the string written; otherwise "'name' must be one of a, b, c".
std::optional<size_t> read_choice_index(const Node& value, std::string_view name,
                                        std::span<const std::string_view> names,
                                        ConfigErrors& errors);

template <class E>
struct Choice {
  std::string_view name;
  E value;
};

template <class E>
std::optional<E> read_choice(const Node& value, std::string_view name,
                             std::initializer_list<Choice<E>> choices, ConfigErrors& errors) {
  std::vector<std::string_view> names;
  for (const Choice<E>& choice : choices) names.push_back(choice.name);
  const std::optional<size_t> index = read_choice_index(value, name, names, errors);
  if (!index) return std::nullopt;
  return std::data(choices)[*index].value;
}

// ---- The keys of one map.

enum class Presence { optional, required };

class MapReader {
 public:
  // `what` names the map in messages: "unknown key 'x' in <what>", "<what> must be a map".
  // A value that is not a map is reported here; the reader then yields nothing.
  MapReader(const Node& map, std::string what, ConfigErrors& errors);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool is_map() const { return map_.is_map(); }
  Location location() const { return map_.location(); }

  // The value under `key`, and `key` becomes known. Absent: nullopt, and if required the error
  // "missing key 'key' in <what>" at the map. Written without a value (`key:`): nullopt and an
  // error at the key.
  std::optional<Node> get(std::string_view key, Presence presence = Presence::optional);
  // Makes `key` known without reading it.
  void allow(std::string_view key);
  // Where `key` is written, if it is; for rules between keys ("client_auth needs client_ca").
  std::optional<Location> key_location(std::string_view key) const;
  // Reports each key of the map that no get/allow/read_* call named, with the closest known key
  // as a suggestion. Call it once, after reading every key the map may have.
  void finish();

  // Typed fields: `out` is assigned only when the key is present and its value valid (so the
  // model's default stays otherwise); the result says whether it was. A required string must
  // also be non-empty.
  bool read_string(std::string_view key, std::string& out, Presence = Presence::optional);
  bool read_bool(std::string_view key, bool& out, Presence = Presence::optional);
  bool read_duration(std::string_view key, Millis& out, Presence = Presence::optional);
  bool read_host_port(std::string_view key, net::HostPort& out, Presence = Presence::optional);
  bool read_string_list(std::string_view key, std::vector<std::string>& out,
                        Presence = Presence::optional);
  bool read_number(std::string_view key, double& out, double min, double max,
                   Presence = Presence::optional);

  template <std::integral T>
  bool read_integer(std::string_view key, T& out, int64_t min, int64_t max,
                    Presence presence = Presence::optional) {
    return assign(get(key, presence), out, [&](const Node& value) {
      return config::read_integer(value, key, min, max, errors_);
    });
  }

  template <std::unsigned_integral T>
  bool read_size(std::string_view key, T& out, Presence presence = Presence::optional) {
    return assign(get(key, presence), out, [&](const Node& value) -> std::optional<T> {
      const std::optional<uint64_t> bytes = config::read_size(value, key, errors_);
      if (bytes && *bytes > std::numeric_limits<T>::max()) {
        errors_.push_back(value_error(
            value, key,
            "must be at most " + std::to_string(std::numeric_limits<T>::max()) + " bytes"));
        return std::nullopt;
      }
      return bytes;
    });
  }

  template <class E>
  bool read_choice(std::string_view key, E& out, std::initializer_list<Choice<E>> choices,
                   Presence presence = Presence::optional) {
    return assign(get(key, presence), out, [&](const Node& value) {
      return config::read_choice(value, key, choices, errors_);
    });
  }

 private:
  using Key = std::pair<std::string_view, uint32_t>;  // a key and its entry in the map

  std::optional<uint32_t> find(std::string_view key) const;

  template <class T, class Read>
  static bool assign(const std::optional<Node>& value, T& out, Read read) {
    if (!value) return false;
    auto result = read(*value);
    if (!result) return false;
    out = T(*result);
    return true;
  }

  Node map_;
  std::string what_;
  ConfigErrors& errors_;
  std::vector<Key> index_;  // sorted by key, each key once: lookups cost O(log n)
  std::vector<std::string> known_;
};

}  // namespace gatehouse::config
