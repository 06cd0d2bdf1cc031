#include "policies/json_threat/json_threat_config.h"

#include "config/node_reader.h"

namespace gatehouse::policies {

Parsed<JsonThreatConfig> parse_json_threat_config(const config::Node& node) {
  config::ConfigErrors errors;
  config::MapReader map(node, "json_threat_protection policy", errors);
  map.allow("type");
  JsonThreatConfig config;
  // The depth the parser can keep track of without growing its stack past reason.
  map.read_integer("max_depth", config.max_depth, 1, 1000);
  map.read_integer("max_string_length", config.max_string_length, 1, int64_t{1} << 30);
  map.read_integer("max_key_length", config.max_key_length, 1, int64_t{1} << 20);
  map.read_integer("max_properties", config.max_properties, 1, int64_t{1} << 30);
  map.read_integer("max_array_elements", config.max_array_elements, 1, int64_t{1} << 30);
  map.finish();
  return parsed(std::move(config), errors);
}

}  // namespace gatehouse::policies
