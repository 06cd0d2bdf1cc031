#include "routing/router.h"

#include <algorithm>
#include <array>
#include <deque>

#include "absl/container/inlined_vector.h"
#include "routing/host_name.h"
#include "routing/method_table.h"
#include "routing/route_template.h"
#include "routing/segment_trie.h"
#include "routing/string_map.h"

namespace gatehouse::routing {
namespace {

// RFC 1035 caps a name at 253 characters; a longer Host cannot name a configured host.
constexpr size_t kMaxHostLength = 255;

// What a match hands back besides the method table's verdict.
struct CompiledRoute {
  uint32_t api = 0;
  uint32_t resource = 0;
  size_t prefix_segments = 0;
  // In template order. Views, so that a match copies them without reading the names' memory.
  absl::InlinedVector<std::string_view, 4> param_names;
};

// RFC 9110 §5.6.2 token characters.
bool is_token(std::string_view text) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

std::string describe(const RouteSpec& spec) {
  std::string text = spec.host.empty() ? "any host" : spec.host;
  text += ' ';
  text += spec.prefix;
  text += spec.path_template;
  return text;
}

// The part of `path` after its first `segments` segments; "/" if nothing is left.
std::string_view after_segments(std::string_view path, size_t segments) {
  size_t position = 0;
  for (size_t i = 0; i < segments && position < path.size(); ++i) {
    position = std::min(path.find('/', position + 1), path.size());
  }
  std::string_view rest = path.substr(position);
  return rest.empty() ? std::string_view("/") : rest;
}

}  // namespace

struct Router::Impl {
  std::vector<CompiledRoute> routes;    // same order as the specs given to build()
  std::deque<std::string> param_names;  // a deque: its strings never move, so views stay valid
  SegmentTrie any_host;
  StringMap<SegmentTrie> by_host;  // key: host_key()

  const SegmentTrie* trie_of_host(std::string_view host) const {
    if (by_host.empty()) return nullptr;
    host = strip_port(host);
    if (host.size() > kMaxHostLength) return nullptr;
    std::array<char, kMaxHostLength> lower;
    lower_case_into(host, lower.data());
    auto found = by_host.find(std::string_view(lower.data(), host.size()));
    return found == by_host.end() ? nullptr : &found->second;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

std::expected<Router, Router::BuildError> Router::build(std::vector<RouteSpec> routes) {
  Router router;
  Impl& impl = *router.impl_;
  impl.routes.reserve(routes.size());
  for (size_t index = 0; index < routes.size(); ++index) {
    const RouteSpec& spec = routes[index];
    auto fail = [&](std::string message) {
      return std::unexpected(BuildError{index, describe(spec) + ": " + message});
    };
    auto parsed = parse_route_template(spec.prefix, spec.path_template);
    if (!parsed) return fail(parsed.error());
    if (spec.methods.empty()) return fail("no methods");

    std::string host = host_key(spec.host);
    SegmentTrie& trie = host.empty() ? impl.any_host : impl.by_host[host];
    MethodTable& table = trie.insert(*parsed);
    for (const std::string& method : spec.methods) {
      if (method != "*" && !is_token(method)) return fail("invalid method: \"" + method + '"');
      uint32_t previous = table.add(method, static_cast<uint32_t>(index));
      if (previous == index) return fail("lists " + method + " twice");
      if (previous != kNoRoute) {
        return fail(method + " is already routed by route " + std::to_string(previous) + " (" +
                    describe(routes[previous]) + ")");
      }
    }

    CompiledRoute& route = impl.routes.emplace_back();
    route.api = spec.api;
    route.resource = spec.resource;
    route.prefix_segments = parsed->prefix_segments;
    for (TemplateSegment& segment : parsed->segments) {
      if (segment.kind == TemplateSegment::Kind::param) {
        route.param_names.push_back(impl.param_names.emplace_back(std::move(segment.text)));
      }
    }
  }
  impl.any_host.freeze();
  for (auto& [host, trie] : impl.by_host) trie.freeze();
  return router;
}

Match Router::match(std::string_view host, std::string_view method, std::string_view path) const {
  Match result;
  if (!path.starts_with('/')) return result;
  const SegmentTrie* host_trie = impl_->trie_of_host(host);

  bool path_matched = false;
  uint32_t route_index = kNoRoute;
  auto accept_method = [&](const MethodTable& table) {
    path_matched = true;
    route_index = table.find(method);
    return route_index != kNoRoute;
  };
  if ((host_trie != nullptr && host_trie->walk(path, result.params, accept_method)) ||
      impl_->any_host.walk(path, result.params, accept_method)) {
    const CompiledRoute& route = impl_->routes[route_index];
    result.status = MatchStatus::found;
    result.api = route.api;
    result.resource = route.resource;
    result.resource_path = after_segments(path, route.prefix_segments);
    for (size_t i = 0; i < result.params.size(); ++i) {
      result.params[i].name = route.param_names[i];
    }
    return result;
  }
  if (!path_matched) return result;

  // Rare, so a second walk rather than bookkeeping on the common path: Allow lists every method
  // that some template matching this path would accept.
  AllowedMethods allowed;
  uint32_t some_route = kNoRoute;
  auto collect_methods = [&](const MethodTable& table) {
    table.add_to(allowed);
    if (some_route == kNoRoute) some_route = table.some_route();
    return false;
  };
  if (host_trie != nullptr) host_trie->walk(path, result.params, collect_methods);
  impl_->any_host.walk(path, result.params, collect_methods);
  result.status = MatchStatus::method_not_allowed;
  result.allow = allowed.to_header_value();
  if (some_route != kNoRoute) result.api = impl_->routes[some_route].api;
  return result;
}

}  // namespace gatehouse::routing
