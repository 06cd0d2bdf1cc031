#include "config/node.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <streambuf>
#include <vector>

namespace gatehouse::config {

class YamlDocument {
 public:
  struct Data {
    uint32_t line = 0;  // 0-based, as yaml-cpp's marks
    uint32_t column = 0;
    Node::Kind kind = Node::Kind::null;
    uint32_t first = 0;  // scalar: offset into scalars; collection: index into children
    uint32_t count = 0;  // scalar: length; sequence: items; map: entries (two children each)
  };

  std::string file;
  std::vector<Data> nodes;
  // Each collection's children, back to back: node indices; a map's alternate key and value.
  // An alias is the index of the node it names, which may so have several parents.
  std::vector<uint32_t> children;
  std::string scalars;
};

namespace {

// Reads a string in place: yaml-cpp's parser takes an istream, and an istringstream would copy
// the whole file.
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only read: the get area is never written
    setg(begin, begin, begin + text.size());
  }
};

// Builds a YamlDocument from the parser's events. Counts the nodes of the document as it would
// be with every alias expanded, since readers walk an aliased node once per alias: a few lines
// of nested aliases can stand for billions of nodes.
class Builder : public YAML::EventHandler {
 public:
  Builder(YamlDocument& document, size_t expansion_limit)
      : document_(document), expansion_limit_(expansion_limit) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    finish_leaf(add(mark, Node::Kind::null), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    const uint32_t index = add(mark, Node::Kind::scalar);
    YamlDocument::Data& data = document_.nodes[index];
    data.first = static_cast<uint32_t>(document_.scalars.size());
    data.count = static_cast<uint32_t>(value.size());
    document_.scalars += value;
    finish_leaf(index, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const Anchor& target = anchors_.at(anchor);
    if (!target.complete) {
      throw YAML::ParserException(mark, "an alias must not be inside the node it names");
    }
    count_expanded(target.expanded, mark);
    attach(target.node);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    start_collection(mark, Node::Kind::sequence, anchor);
  }
  void OnSequenceEnd() override { end_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    start_collection(mark, Node::Kind::map, anchor);
  }
  void OnMapEnd() override { end_collection(); }

  bool has_root() const { return has_root_; }

 private:
  struct Anchor {
    uint32_t node = 0;
    size_t expanded = 0;
    bool complete = false;
  };
  struct Open {
    uint32_t node;
    YAML::anchor_t anchor;
    size_t expanded_before;
    std::vector<uint32_t> children;
  };

  uint32_t add(const YAML::Mark& mark, Node::Kind kind) {
    const auto index = static_cast<uint32_t>(document_.nodes.size());
    document_.nodes.push_back({static_cast<uint32_t>(std::max(mark.line, 0)),
                               static_cast<uint32_t>(std::max(mark.column, 0)), kind, 0, 0});
    count_expanded(1, mark);
    return index;
  }

  void count_expanded(size_t nodes, const YAML::Mark& mark) {
    expanded_ += nodes;
    if (expanded_ > expansion_limit_) {
      throw YAML::ParserException(mark, "with its aliases expanded the file would hold more than " +
                                            std::to_string(expansion_limit_) +
                                            " values; repeat less through aliases");
    }
  }

  // Hangs a finished node under the collection being read, or makes it the root.
  void attach(uint32_t index) {
    if (!open_.empty()) {
      open_.back().children.push_back(index);
    } else if (!has_root_) {
      has_root_ = true;  // the root is node 0
    }
  }

  void remember(YAML::anchor_t anchor, Anchor entry) {
    if (anchor == YAML::NullAnchor) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = entry;
  }

  void finish_leaf(uint32_t index, YAML::anchor_t anchor) {
    remember(anchor, {index, 1, true});
    attach(index);
  }

  void start_collection(const YAML::Mark& mark, Node::Kind kind, YAML::anchor_t anchor) {
    const size_t before = expanded_;
    const uint32_t index = add(mark, kind);
    remember(anchor, {index, 0, false});
    open_.push_back({index, anchor, before, {}});
  }

  void end_collection() {
    Open open = std::move(open_.back());
    open_.pop_back();
    YamlDocument::Data& data = document_.nodes[open.node];
    data.first = static_cast<uint32_t>(document_.children.size());
    const size_t children = open.children.size();
    data.count = static_cast<uint32_t>(data.kind == Node::Kind::map ? children / 2 : children);
    document_.children.insert(document_.children.end(), open.children.begin(), open.children.end());
    remember(open.anchor, {open.node, expanded_ - open.expanded_before, true});
    attach(open.node);
  }

  YamlDocument& document_;
  const size_t expansion_limit_;
  size_t expanded_ = 0;
  bool has_root_ = false;
  std::vector<Open> open_;
  std::vector<Anchor> anchors_;  // by yaml-cpp's anchor id
};

}  // namespace

Node::Kind Node::kind() const {
  return document_->nodes[index_].kind;
}

std::string_view Node::scalar() const {
  const YamlDocument::Data& data = document_->nodes[index_];
  if (data.kind != Kind::scalar) return {};
  return std::string_view(document_->scalars).substr(data.first, data.count);
}

size_t Node::size() const {
  const YamlDocument::Data& data = document_->nodes[index_];
  return data.kind == Kind::sequence || data.kind == Kind::map ? data.count : 0;
}

Node Node::child(size_t i) const {
  return Node(document_, document_->children[document_->nodes[index_].first + i]);
}

Location Node::location() const {
  const YamlDocument::Data& data = document_->nodes[index_];
  return Location{document_->file, static_cast<int>(data.line) + 1,
                  static_cast<int>(data.column) + 1};
}

const std::string& Node::file() const {
  return document_->file;
}

Node parse_yaml(std::string_view text, std::string file) {
  auto document = std::make_shared<YamlDocument>();
  document->file = std::move(file);
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  YAML::Parser parser(in);
  Builder builder(*document, std::max(max_expanded_nodes, text.size()));
  parser.HandleNextDocument(builder);
  if (!builder.has_root()) document->nodes.push_back({0, 0, Node::Kind::null, 0, 0});
  document->nodes.shrink_to_fit();
  document->children.shrink_to_fit();
  document->scalars.shrink_to_fit();
  return Node(std::move(document), 0);
}

}  // namespace gatehouse::config
