// The methods one route template accepts, each mapped to the route (index into the router's
// route list) that serves it. One table per terminal node of the trie.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::routing {

inline constexpr uint32_t kNoRoute = UINT32_MAX;

// Methods in the order an Allow header lists them; any other method follows alphabetically.
inline constexpr std::array<std::string_view, 7> kStandardMethods = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

class AllowedMethods;

class MethodTable {
 public:
  MethodTable() { standard_.fill(kNoRoute); }

  // "*" is the fallback for methods without an entry of their own. Returns the route already
  // holding `method` when there is one (a duplicate), else kNoRoute.
  uint32_t add(std::string_view method, uint32_t route);

  // RFC 9110 §9.3.2: a resource that answers GET answers HEAD too, with the GET route.
  void serve_head_by_get();

  uint32_t find(std::string_view method) const;
  // Some route of this table (the first standard method's, else any other), for callers that
  // need the API a path belongs to whatever the method.
  uint32_t some_route() const;

  void add_to(AllowedMethods& allowed) const;

 private:
  std::array<uint32_t, kStandardMethods.size()> standard_;
  std::vector<std::pair<std::string, uint32_t>> others_;  // few; a linear scan beats hashing
  uint32_t any_ = kNoRoute;
};

// The union of the methods of several tables, written as an Allow header value.
class AllowedMethods {
 public:
  std::string to_header_value() const;

 private:
  friend class MethodTable;
  std::array<bool, kStandardMethods.size()> standard_{};
  std::vector<std::string_view> others_;
};

}  // namespace gatehouse::routing
