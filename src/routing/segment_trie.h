// A trie of path segments for the routes of one host. Each node has literal children keyed by
// segment, at most one `{param}` child and at most one trailing `*`; a node where a template ends
// holds the method table of that template.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "routing/method_table.h"
#include "routing/path_params.h"
#include "routing/route_template.h"
#include "routing/string_map.h"

namespace gatehouse::routing {

class SegmentTrie {
 public:
  SegmentTrie() : nodes_(1) {}

  // The table at the end of `route_template`, created on first use. Templates that differ only
  // in parameter names share one table. The reference is valid until the next insert.
  MethodTable& insert(const RouteTemplate& route_template);

  // Calls `visit(const MethodTable&)` for each template matching `path` (which starts with '/'),
  // most specific first: at each segment a literal, then a parameter, then the wildcard, with
  // backtracking. Stops and returns true when `visit` does. Parameter values are pushed to
  // `params` on the way down and popped on backtracking, so on `true` they are those of the
  // accepted template.
  template <typename Visitor>
  bool walk(std::string_view path, PathParams& params, Visitor&& visit) const {
    return walk_from(0, path, params, visit);
  }

  // Applies MethodTable::serve_head_by_get to every table, once all routes are inserted.
  void serve_head_by_get();

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Node {
    StringMap<uint32_t> literals;     // segment -> node
    uint32_t param = kNone;           // node
    uint32_t wildcard_table = kNone;  // table of the trailing "*"
    uint32_t table = kNone;           // table of a template ending here
  };

  // `rest` is the unmatched part of the path: empty, or '/' followed by the next segment.
  template <typename Visitor>
  bool walk_from(uint32_t node_index, std::string_view rest, PathParams& params,
                 Visitor& visit) const {
    const Node& node = nodes_[node_index];
    // A trailing slash ends the path too: "/menu/" is "/menu".
    if (rest.empty() || rest == "/") {
      if (node.table != kNone && visit(tables_[node.table])) return true;
    } else {
      std::string_view segment = rest.substr(1, rest.find('/', 1) - 1);
      std::string_view after = rest.substr(1 + segment.size());
      if (auto child = node.literals.find(segment); child != node.literals.end()) {
        if (walk_from(child->second, after, params, visit)) return true;
      }
      if (node.param != kNone && !segment.empty()) {
        params.push_back({{}, segment});
        if (walk_from(node.param, after, params, visit)) return true;
        params.pop_back();
      }
    }
    return node.wildcard_table != kNone && visit(tables_[node.wildcard_table]);
  }

  uint32_t table_of(uint32_t& slot);

  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::vector<MethodTable> tables_;
};

}  // namespace gatehouse::routing
