// A trie of path segments for the routes of one host. Each node has literal children keyed by
// segment, at most one `{param}` child and at most one trailing `*`; a node where a template ends
// holds the method table of that template.
//
// Routes are first inserted into a simple trie with a map of children per node; freeze() then
// turns it into the form that walk() reads: one hash table of edges keyed by (parent node,
// segments), where a chain of literal nodes without alternatives ("/pizzashack/1.0.0") is a single
// edge, and each edge carries its child's node record. A level of the walk then touches one slot of
// one table: with many APIs, whose trie does not fit in cache, a match costs a few cache misses
// per level rather than a few per segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "routing/method_table.h"
#include "routing/path_params.h"
#include "routing/route_template.h"
#include "routing/string_map.h"

namespace gatehouse::routing {

class SegmentTrie {
 public:
  SegmentTrie() : building_(1), nodes_(1) {}

  // The table at the end of `route_template`, created on first use. Templates that differ only
  // in parameter names share one table. The reference is valid until the next insert. Only
  // before freeze().
  MethodTable& insert(const RouteTemplate& route_template);

  // Ends insertion: every table serves HEAD by GET (MethodTable::serve_head_by_get) and the trie
  // takes the form walk() reads. Until then walk() finds nothing.
  void freeze();

  // Calls `visit(const MethodTable&)` for each template matching `path` (which starts with '/'),
  // most specific first: at each segment a literal, then a parameter, then the wildcard, with
  // backtracking. Stops and returns true when `visit` does. Parameter values are pushed to
  // `params` on the way down and popped on backtracking, so on `true` they are those of the
  // accepted template.
  template <typename Visitor>
  bool walk(std::string_view path, PathParams& params, Visitor&& visit) const {
    return walk_from(nodes_[kRoot], kRoot, path, params, visit);
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kMaxEdgeSegments = 32;  // bits of Node::literal_edge_lengths

  struct Node {
    uint32_t param = kNone;             // node id of the `{param}` child
    uint32_t wildcard_table = kNone;    // table of the trailing "*"
    uint32_t table = kNone;             // table of a template ending here
    uint32_t literal_edge_lengths = 0;  // bit n-1 set: a literal edge spans n segments
  };

  struct Edge {
    uint32_t child;
    Node node;  // a copy of nodes_[child], read in the same cache line as the key
  };

  struct EdgeKeyView {
    uint32_t parent;
    std::string_view segments;  // joined by '/'
  };
  struct EdgeKey {
    uint32_t parent;
    std::string segments;
  };
  struct EdgeHash {
    using is_transparent = void;
    size_t operator()(const EdgeKeyView& key) const;
    size_t operator()(const EdgeKey& key) const {
      return (*this)(EdgeKeyView{key.parent, key.segments});
    }
  };
  struct EdgeEqual {
    using is_transparent = void;
    template <typename Left, typename Right>
    bool operator()(const Left& left, const Right& right) const {
      return left.parent == right.parent && left.segments == right.segments;
    }
  };

  struct BuildNode {
    StringMap<uint32_t> literals;  // segment -> node id
    Node node;
  };

  // The literal edge leaving `node` that matches the start of `rest`, or null; `consumed` is
  // set to the length of `rest` it covers.
  const Edge* find_literal_edge(const Node& node, uint32_t id, std::string_view rest,
                                size_t& consumed) const;

  // `rest` is the unmatched part of the path: empty, or '/' followed by the next segment.
  template <typename Visitor>
  bool walk_from(const Node& node, uint32_t id, std::string_view rest, PathParams& params,
                 Visitor& visit) const {
    // A trailing slash ends the path too: "/menu/" is "/menu".
    if (rest.empty() || rest == "/") {
      if (node.table != kNone && visit(tables_[node.table])) return true;
    } else {
      size_t consumed = 0;
      if (const Edge* edge = find_literal_edge(node, id, rest, consumed)) {
        if (walk_from(edge->node, edge->child, rest.substr(consumed), params, visit)) return true;
      }
      std::string_view segment = rest.substr(1, rest.find('/', 1) - 1);
      if (node.param != kNone && !segment.empty()) {
        params.push_back({{}, segment});
        if (walk_from(nodes_[node.param], node.param, rest.substr(1 + segment.size()), params,
                      visit)) {
          return true;
        }
        params.pop_back();
      }
    }
    return node.wildcard_table != kNone && visit(tables_[node.wildcard_table]);
  }

  uint32_t table_of(uint32_t& slot);

  std::vector<BuildNode> building_;  // building_[kRoot] is the root; emptied by freeze()
  std::vector<Node> nodes_;          // by node id, from freeze() on
  absl::flat_hash_map<EdgeKey, Edge, EdgeHash, EdgeEqual> edges_;
  std::vector<MethodTable> tables_;
};

}  // namespace gatehouse::routing
