#include "policies/fault/fault_config.h"

#include "config/node_reader.h"

namespace gatehouse::policies {

namespace {

std::optional<FaultDelay> read_delay(const config::Node& node, config::ConfigErrors& errors) {
  config::MapReader map(node, "fault delay", errors);
  FaultDelay delay;
  bool valid = map.read_duration("duration", delay.duration, config::Presence::required);
  if (valid && delay.duration > kMaxFaultDelay) {
    errors.push_back(config::value_error(*map.get("duration"), "duration", "must be at most 60s"));
    valid = false;
  }
  map.read_number("percent", delay.percent, 0, 100);
  map.finish();
  if (!valid) return std::nullopt;
  return delay;
}

std::optional<FaultAbort> read_abort(const config::Node& node, config::ConfigErrors& errors) {
  config::MapReader map(node, "fault abort", errors);
  FaultAbort abort;
  const bool valid = map.read_integer("status", abort.status, 400, 599, config::Presence::required);
  map.read_number("percent", abort.percent, 0, 100);
  map.finish();
  if (!valid) return std::nullopt;
  return abort;
}

}  // namespace

Parsed<FaultConfig> parse_fault_config(const config::Node& node) {
  config::ConfigErrors errors;
  config::MapReader map(node, "fault policy", errors);
  map.allow("type");
  FaultConfig config;
  const std::optional<config::Node> delay = map.get("delay");
  const std::optional<config::Node> abort = map.get("abort");
  if (delay) config.delay = read_delay(*delay, errors);
  if (abort) config.abort = read_abort(*abort, errors);
  if (!delay && !abort && errors.empty()) {
    errors.push_back({map.location(), "a fault policy needs 'delay', 'abort' or both"});
  }
  map.finish();
  return parsed(std::move(config), errors);
}

}  // namespace gatehouse::policies
