#include "security/jose/strict_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace gatehouse::jose {

namespace {

namespace json = boost::json;

// Builds the value like boost::json::parser does (on a value_stack) and, when an object closes,
// checks its member names for repeats. Names are kept in one buffer while their object is open.
class DuplicateCheckingHandler {
 public:
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_string_size = json::string::max_size();
  static constexpr size_t max_key_size = json::string::max_size();

  bool duplicate = false;
  json::value_stack stack;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_object_begin(json::error_code&) {
    object_starts_.push_back(names_.size());
    return true;
  }
  bool on_object_end(size_t n, json::error_code& ec) {
    const size_t start = object_starts_.back();
    object_starts_.pop_back();
    if (has_repeat(start)) {
      duplicate = true;
      ec = json::error::syntax;
      return false;
    }
    if (start < names_.size()) name_bytes_.resize(names_[start].first);
    names_.resize(start);
    stack.push_object(n);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    name_bytes_.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t n, json::error_code&) {
    name_bytes_.append(s.data(), s.size());
    names_.emplace_back(name_bytes_.size() - n, n);
    stack.push_key(s);
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  // Sorting the open object's names finds a repeat in O(n log n) however many members it has.
  bool has_repeat(size_t start) {
    if (names_.size() - start < 2) return false;
    auto name = [this](const std::pair<size_t, size_t>& at) {
      return std::string_view(name_bytes_).substr(at.first, at.second);
    };
    std::vector<std::string_view> sorted;
    sorted.reserve(names_.size() - start);
    for (size_t i = start; i < names_.size(); ++i) sorted.push_back(name(names_[i]));
    std::sort(sorted.begin(), sorted.end());
    return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
  }

  std::string name_bytes_;
  std::vector<std::pair<size_t, size_t>> names_;  // offset and length in name_bytes_
  std::vector<size_t> object_starts_;             // index in names_ of each open object's first
};

}  // namespace

Result<json::object> parse_object_strict(std::string_view text) {
  try {
    json::parse_options options;
    options.max_depth = max_json_depth;
    json::basic_parser<DuplicateCheckingHandler> parser(options);
    parser.handler().stack.reset();
    json::error_code ec;
    const size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().duplicate) return std::unexpected(Error::duplicate_key);
    if (ec || used != text.size()) return std::unexpected(Error::bad_json);
    json::value value = parser.handler().stack.release();
    if (!value.is_object()) return std::unexpected(Error::bad_json);
    return std::move(value.get_object());
  } catch (const std::exception&) {
    // Only allocation can throw here; the input is bounded, so this is a refusal, not a crash.
    return std::unexpected(Error::bad_json);
  }
}

}  // namespace gatehouse::jose
