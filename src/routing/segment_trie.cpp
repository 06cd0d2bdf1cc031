#include "routing/segment_trie.h"

namespace gatehouse::routing {

uint32_t SegmentTrie::table_of(uint32_t& slot) {
  if (slot == kNone) {
    slot = static_cast<uint32_t>(tables_.size());
    tables_.emplace_back();
  }
  return slot;
}

MethodTable& SegmentTrie::insert(const RouteTemplate& route_template) {
  uint32_t current = 0;
  for (const TemplateSegment& segment : route_template.segments) {
    // `nodes_` may grow below, so each step re-reads the node by index.
    uint32_t next = kNone;
    switch (segment.kind) {
      case TemplateSegment::Kind::wildcard:
        return tables_[table_of(nodes_[current].wildcard_table)];
      case TemplateSegment::Kind::param:
        next = nodes_[current].param;
        break;
      case TemplateSegment::Kind::literal:
        if (auto child = nodes_[current].literals.find(segment.text);
            child != nodes_[current].literals.end()) {
          next = child->second;
        }
        break;
    }
    if (next == kNone) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      if (segment.kind == TemplateSegment::Kind::param) {
        nodes_[current].param = next;
      } else {
        nodes_[current].literals.emplace(segment.text, next);
      }
    }
    current = next;
  }
  return tables_[table_of(nodes_[current].table)];
}

void SegmentTrie::serve_head_by_get() {
  for (MethodTable& table : tables_) table.serve_head_by_get();
}

}  // namespace gatehouse::routing
