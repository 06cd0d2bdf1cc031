#include "routing/segment_trie.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace gatehouse::routing {

size_t SegmentTrie::EdgeHash::operator()(const EdgeKeyView& key) const {
  return absl::HashOf(key.parent, absl::string_view(key.segments.data(), key.segments.size()));
}

uint32_t SegmentTrie::table_of(uint32_t& slot) {
  if (slot == kNone) {
    slot = static_cast<uint32_t>(tables_.size());
    tables_.emplace_back();
  }
  return slot;
}

MethodTable& SegmentTrie::insert(const RouteTemplate& route_template) {
  uint32_t current = kRoot;
  for (const TemplateSegment& segment : route_template.segments) {
    // `building_` may grow below, so each step re-reads the node by index.
    uint32_t next = kNone;
    switch (segment.kind) {
      case TemplateSegment::Kind::wildcard:
        return tables_[table_of(building_[current].node.wildcard_table)];
      case TemplateSegment::Kind::param:
        next = building_[current].node.param;
        break;
      case TemplateSegment::Kind::literal:
        if (auto child = building_[current].literals.find(segment.text);
            child != building_[current].literals.end()) {
          next = child->second;
        }
        break;
    }
    if (next == kNone) {
      next = static_cast<uint32_t>(building_.size());
      building_.emplace_back();
      if (segment.kind == TemplateSegment::Kind::param) {
        building_[current].node.param = next;
      } else {
        building_[current].literals.emplace(segment.text, next);
      }
    }
    current = next;
  }
  return tables_[table_of(building_[current].node.table)];
}

void SegmentTrie::freeze() {
  for (MethodTable& table : tables_) table.serve_head_by_get();

  // A literal node with one literal child and nothing else offers no alternative to backtrack
  // to, so it merges into the edge that leads to it.
  auto only_passes_through = [&](const BuildNode& node) {
    return node.literals.size() == 1 && node.node.param == kNone &&
           node.node.wildcard_table == kNone && node.node.table == kNone;
  };
  nodes_.resize(building_.size());
  for (size_t id = 0; id < building_.size(); ++id) nodes_[id] = building_[id].node;
  for (size_t parent = 0; parent < building_.size(); ++parent) {
    for (const auto& [segment, child] : building_[parent].literals) {
      std::string segments = segment;
      uint32_t target = child;
      uint32_t length = 1;
      while (length < kMaxEdgeSegments && only_passes_through(building_[target])) {
        const auto& [next_segment, next] = *building_[target].literals.begin();
        segments += '/';
        segments += next_segment;
        target = next;
        ++length;
      }
      nodes_[parent].literal_edge_lengths |= 1u << (length - 1);
      edges_.emplace(EdgeKey{static_cast<uint32_t>(parent), std::move(segments)}, Edge{target, {}});
    }
  }
  for (auto& [key, edge] : edges_) edge.node = nodes_[edge.child];
  building_.clear();
  building_.shrink_to_fit();
}

const SegmentTrie::Edge* SegmentTrie::find_literal_edge(const Node& node, uint32_t id,
                                                        std::string_view rest,
                                                        size_t& consumed) const {
  // Edges leaving one node start with distinct segments, so at most one length can match.
  size_t end = 0;  // end of the first `length` segments of `rest`
  for (uint32_t lengths = node.literal_edge_lengths; lengths != 0; lengths >>= 1) {
    if (end == rest.size()) return nullptr;  // the path has fewer segments than the edge
    end = std::min(rest.find('/', end + 1), rest.size());
    if ((lengths & 1) == 0) continue;
    auto found = edges_.find(EdgeKeyView{id, rest.substr(1, end - 1)});
    if (found != edges_.end()) {
      consumed = end;
      return &found->second;
    }
  }
  return nullptr;
}

}  // namespace gatehouse::routing
