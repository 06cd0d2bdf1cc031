// Random route sets and requests, each request's outcome compared with a slow matcher written
// straight from the rules: among the templates matching the path, the most specific one (compared
// segment by segment: literal, then parameter, then wildcard; a template ending with the path
// before a wildcard matching nothing) that accepts the method wins, host routes before any-host
// routes; otherwise 405 lists the methods of every matching template.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "router_test_support.h"
#include "routing/router.h"

namespace gatehouse::routing {
namespace {

const std::vector<std::string> kMethods = {"GET", "HEAD", "POST", "DELETE", "PURGE", "*"};
const std::vector<std::string> kLiterals = {"a", "b", "c"};

std::vector<std::string> split(std::string_view path) {
  if (path.ends_with('/')) path.remove_suffix(1);  // a trailing slash is ignored
  std::vector<std::string> segments;
  while (!path.empty()) {
    path.remove_prefix(1);
    size_t end = std::min(path.find('/'), path.size());
    segments.emplace_back(path.substr(0, end));
    path.remove_prefix(end);
  }
  return segments;
}

// Ranks of the template's segments against the path's (0 literal, 1 parameter, 2 wildcard, and 0
// for a template ending with the path), or nothing when the template does not match.
std::optional<std::vector<int>> specificity(const std::vector<std::string>& pattern,
                                            const std::vector<std::string>& path) {
  std::vector<int> ranks;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "*") {
      ranks.push_back(2);
      return ranks;
    }
    if (i == path.size()) return std::nullopt;
    if (pattern[i].starts_with('{')) {
      if (path[i].empty()) return std::nullopt;
      ranks.push_back(1);
    } else {
      if (pattern[i] != path[i]) return std::nullopt;
      ranks.push_back(0);
    }
  }
  if (pattern.size() != path.size()) return std::nullopt;
  ranks.push_back(0);
  return ranks;
}

struct Expected {
  MatchStatus status = MatchStatus::not_found;
  uint32_t resource = 0;
  std::set<std::string> allow;
};

Expected reference_match(const std::vector<RouteSpec>& routes, std::string_view host,
                         std::string_view method, std::string_view path) {
  std::vector<std::string> segments = split(path);
  Expected expected;
  for (std::string_view group_host : {host, std::string_view()}) {
    // Templates matching the path, most specific first; specs of one template share a rank.
    std::map<std::vector<int>, std::vector<const RouteSpec*>> matching;
    for (const RouteSpec& spec : routes) {
      if (spec.host != group_host) continue;
      if (auto ranks = specificity(split(spec.path_template), segments)) {
        matching[*ranks].push_back(&spec);
      }
    }
    for (const auto& [ranks, specs] : matching) {
      // Per template: the method's own route, then GET for HEAD, then "*".
      for (std::string_view wanted :
           {method, std::string_view(method == "HEAD" ? "GET" : ""), std::string_view("*")}) {
        for (const RouteSpec* spec : specs) {
          if (std::find(spec->methods.begin(), spec->methods.end(), wanted) !=
                  spec->methods.end() &&
              expected.status != MatchStatus::found) {
            expected.status = MatchStatus::found;
            expected.resource = spec->resource;
          }
        }
      }
      for (const RouteSpec* spec : specs) {
        expected.allow.insert(spec->methods.begin(), spec->methods.end());
        if (expected.allow.contains("GET")) expected.allow.insert("HEAD");
      }
    }
    if (expected.status == MatchStatus::found) return expected;
  }
  if (!expected.allow.empty()) expected.status = MatchStatus::method_not_allowed;
  return expected;
}

std::string random_template(std::mt19937& random) {
  std::string result;
  size_t length = random() % 5;
  for (size_t i = 0; i < length; ++i) {
    switch (random() % 6) {
      case 0:
        result += "/{p" + std::to_string(i) + "}";
        break;
      case 1:
        if (i + 1 == length) {
          result += "/*";
          break;
        }
        [[fallthrough]];
      default:
        result += "/" + kLiterals[random() % kLiterals.size()];
    }
  }
  return result.empty() ? "/" : result;
}

std::string random_path(std::mt19937& random) {
  std::string path;
  size_t length = random() % 6;
  for (size_t i = 0; i < length; ++i) {
    size_t pick = random() % (kLiterals.size() + 2);
    path += "/" + (pick < kLiterals.size() ? kLiterals[pick] : pick == kLiterals.size() ? "" : "d");
  }
  if (path.empty() || random() % 4 == 0) path += "/";
  return path;
}

// Random specs without duplicates: a method appears at most once per host and template.
std::vector<RouteSpec> random_routes(std::mt19937& random) {
  std::vector<RouteSpec> routes;
  std::set<std::string> taken;
  size_t count = 1 + random() % 12;
  for (size_t i = 0; i < count; ++i) {
    std::string host = random() % 3 == 0 ? "h1" : "";
    std::string path_template = random_template(random);
    std::string normalized = path_template;
    for (size_t open; (open = normalized.find("{p")) != std::string::npos;) {
      normalized.replace(open, normalized.find('}', open) - open + 1, "{}");
    }
    std::vector<std::string> methods;
    for (const std::string& method : kMethods) {
      if (random() % 4 == 0 && taken.insert(host + " " + normalized + " " + method).second) {
        methods.push_back(method);
      }
    }
    if (methods.empty()) continue;
    routes.push_back(RouteSpec{host, "", path_template, methods, 0, static_cast<uint32_t>(i)});
  }
  return routes;
}

std::string allow_header(const std::set<std::string>& methods) {
  std::vector<std::string> ordered;
  for (const char* standard : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (methods.contains(standard)) ordered.push_back(standard);
  }
  for (const std::string& method : methods) {
    if (std::find(ordered.begin(), ordered.end(), method) == ordered.end()) {
      ordered.push_back(method);
    }
  }
  std::string header;
  for (const std::string& method : ordered) header += (header.empty() ? "" : ", ") + method;
  return header;
}

TEST(RouterReference, RandomRoutesAndRequestsMatchTheRulesAsWritten) {
  std::mt19937 random(20240601);
  size_t found = 0;
  size_t not_allowed = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<RouteSpec> routes = random_routes(random);
    Router router = test_support::build_router(routes);
    for (int request = 0; request < 100; ++request) {
      std::string host = random() % 2 == 0 ? "h1" : "h2";
      std::string method = kMethods[random() % (kMethods.size() - 1)];
      std::string path = random_path(random);
      Expected expected = reference_match(routes, host, method, path);
      Match match = router.match(host, method, path);
      std::string context = host + " " + method + " " + path;
      ASSERT_EQ(match.status, expected.status) << context;
      if (expected.status == MatchStatus::found) {
        ++found;
        ASSERT_EQ(match.resource, expected.resource) << context;
      }
      if (expected.status == MatchStatus::method_not_allowed) {
        ++not_allowed;
        ASSERT_EQ(match.allow, allow_header(expected.allow)) << context;
      }
    }
  }
  // The generator must exercise every outcome for the comparison to mean something.
  EXPECT_GT(found, 1000u);
  EXPECT_GT(not_allowed, 1000u);
}

}  // namespace
}  // namespace gatehouse::routing
