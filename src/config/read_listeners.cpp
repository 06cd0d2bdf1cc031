// The `listeners`, `limits` and `access_log` sections: how clients reach the gateway.
#include <algorithm>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

std::string address_text(const net::HostPort& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

PathNormalization read_paths(const Node& node, ReadContext& context) {
  PathNormalization paths;
  MapReader map(node, "paths", context.errors);
  map.read_bool("merge_slashes", paths.merge_slashes);
  map.read_choice("escaped_slashes", paths.escaped_slashes,
                  {{"reject", EscapedSlashes::reject},
                   {"keep", EscapedSlashes::keep},
                   {"decode", EscapedSlashes::decode}});
  map.read_choice("semicolons", paths.semicolons,
                  {{"reject", Semicolons::reject}, {"keep", Semicolons::keep}});
  map.finish();
  return paths;
}

ListenerConfig read_listener(const Node& node, ReadContext& context) {
  ListenerConfig listener;
  listener.location = node.location();
  MapReader map(node, "listener", context.errors);
  map.read_string("name", listener.name, Presence::required);
  map.read_host_port("address", listener.address, Presence::required);
  if (const std::optional<Node> tls = map.get("tls")) listener.tls = read_tls(*tls, context);
  if (const std::optional<Node> paths = map.get("paths")) {
    listener.paths = read_paths(*paths, context);
  }
  map.finish();
  return listener;
}

}  // namespace

net::TlsServerConfig read_tls(const Node& node, ReadContext& context) {
  net::TlsServerConfig tls;
  MapReader map(node, "tls", context.errors);
  read_file_path(map, "cert", tls.cert_file, Presence::required, context);
  read_file_path(map, "key", tls.key_file, Presence::required, context);
  read_file_path(map, "client_ca", tls.client_ca_file, Presence::optional, context);
  const bool auth_written = map.read_choice("client_auth", tls.client_auth,
                                            {{"none", net::ClientAuth::none},
                                             {"optional", net::ClientAuth::optional},
                                             {"required", net::ClientAuth::required},
                                             {"optional_no_ca", net::ClientAuth::optional_no_ca}});
  map.finish();
  // A CA for client certificates is given to use it: ask for certificates unless told otherwise.
  if (!auth_written && map.key_location("client_ca")) tls.client_auth = net::ClientAuth::required;
  const bool needs_ca =
      tls.client_auth == net::ClientAuth::optional || tls.client_auth == net::ClientAuth::required;
  if (needs_ca && !map.key_location("client_ca")) {
    context.errors.push_back({*map.key_location("client_auth"),
                              "'client_auth' needs 'client_ca', the CA of client certificates"});
  }
  return tls;
}

std::vector<ListenerConfig> read_listeners(const Node& list, ReadContext& context) {
  std::vector<ListenerConfig> listeners;
  const std::optional<std::vector<Node>> items = read_list(list, "listeners", context.errors);
  if (!items) return listeners;
  if (items->empty()) {
    context.errors.push_back(value_error(list, "listeners", "must have at least one listener"));
  }
  FirstSeen names;
  FirstSeen addresses;
  for (const Node& item : *items) {
    ListenerConfig listener = read_listener(item, context);
    const size_t index = listeners.size();
    if (!listener.name.empty()) {
      if (const auto first = names.first(listener.name, index)) {
        context.errors.push_back({listener.location, "listener name '" + listener.name +
                                                         "' is already used at " +
                                                         line_of(listeners[*first].location)});
      }
    }
    if (listener.address.port != 0) {
      if (const auto first = addresses.first(address_text(listener.address), index)) {
        context.errors.push_back({listener.location, "address " + address_text(listener.address) +
                                                         " is already used by listener '" +
                                                         listeners[*first].name + "'"});
      }
    }
    listeners.push_back(std::move(listener));
  }
  return listeners;
}

LimitsConfig read_limits(const Node& node, ReadContext& context) {
  LimitsConfig limits;
  MapReader map(node, "limits", context.errors);
  // A zero would refuse every request: these limits must leave room for one.
  const auto read_positive_size = [&](std::string_view key, size_t& out) {
    size_t value = 0;
    if (!map.read_size(key, value)) return;
    if (value == 0) {
      context.errors.push_back(value_error(*map.get(key), key, "must be greater than 0"));
      return;
    }
    out = value;
  };
  read_positive_size("max_header_bytes", limits.max_header_bytes);
  map.read_integer("max_headers", limits.max_headers, 1, 10'000);
  read_positive_size("max_uri_length", limits.max_uri_length);
  map.read_size("max_body_size", limits.max_body_bytes);
  read_positive_size("max_buffered_body_size", limits.max_buffered_body_bytes);
  map.read_duration("header_timeout", limits.header_timeout);
  map.read_duration("body_timeout", limits.body_timeout);
  map.read_duration("keepalive_timeout", limits.keepalive_timeout);
  map.finish();
  return limits;
}

AccessLogConfig read_access_log(const Node& node, ReadContext& context) {
  AccessLogConfig access_log;
  MapReader map(node, "access_log", context.errors);
  map.read_string("path", access_log.path, Presence::required);
  map.finish();
  if (access_log.path != "stdout" && access_log.path != "off") {
    access_log.path = context.resolve_path(access_log.path);
  }
  return access_log;
}

}  // namespace gatehouse::config
