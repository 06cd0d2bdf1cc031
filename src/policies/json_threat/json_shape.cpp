#include "policies/json_threat/json_shape.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/system/errc.hpp>

#include <vector>

namespace gatehouse::policies {

namespace {

using boost::json::error_code;
using boost::json::string_view;

// The parser's callbacks: each bound is checked as soon as the parser reaches it, and the first
// one exceeded stops the parse.
class ShapeChecker {
 public:
  // The parser's own compile-time bounds: none; ours are the config's, checked below.
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  explicit ShapeChecker(const JsonThreatConfig& limits) : limits_(limits) {}

  const std::string& violation() const { return violation_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code& ec) { return nest(ec); }
  bool on_array_end(std::size_t n, error_code& ec) {
    --depth_;
    return n <= limits_.max_array_elements ||
           refuse(ec, "an array has more than " + std::to_string(limits_.max_array_elements) +
                          " elements");
  }
  bool on_object_begin(error_code& ec) { return nest(ec); }
  bool on_object_end(std::size_t n, error_code& ec) {
    --depth_;
    return n <= limits_.max_properties ||
           refuse(ec, "an object has more than " + std::to_string(limits_.max_properties) +
                          " properties");
  }
  bool on_string_part(string_view, std::size_t n, error_code& ec) { return string(n, ec); }
  bool on_string(string_view, std::size_t n, error_code& ec) { return string(n, ec); }
  bool on_key_part(string_view, std::size_t n, error_code& ec) { return key(n, ec); }
  bool on_key(string_view, std::size_t n, error_code& ec) { return key(n, ec); }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(int64_t, string_view, error_code&) { return true; }
  bool on_uint64(uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  bool nest(error_code& ec) {
    return ++depth_ <= limits_.max_depth ||
           refuse(ec, "the document nests deeper than " + std::to_string(limits_.max_depth));
  }
  // `length`: the string's bytes so far (the parser counts them decoded).
  bool string(std::size_t length, error_code& ec) {
    return length <= limits_.max_string_length ||
           refuse(ec, "a string is longer than " + std::to_string(limits_.max_string_length) +
                          " bytes");
  }
  bool key(std::size_t length, error_code& ec) {
    return length <= limits_.max_key_length ||
           refuse(ec, "a key is longer than " + std::to_string(limits_.max_key_length) + " bytes");
  }
  bool refuse(error_code& ec, std::string violation) {
    violation_ = std::move(violation);
    ec = make_error_code(boost::system::errc::value_too_large);
    return false;
  }

  const JsonThreatConfig& limits_;
  std::size_t depth_ = 0;
  std::string violation_;
};

}  // namespace

std::optional<std::string> json_shape_violation(std::string_view body,
                                                const JsonThreatConfig& limits) {
  boost::json::parse_options options;
  // The parser's own nesting bound, one past ours, so that ours is the one that speaks.
  options.max_depth = limits.max_depth + 1;
  boost::json::basic_parser<ShapeChecker> parser(options, limits);
  error_code ec;
  const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (!ec && used == body.size()) return std::nullopt;
  if (!ec) return "the body has more after its JSON document";
  if (!parser.handler().violation().empty()) return parser.handler().violation();
  return "the body is not valid JSON (" + ec.message() + ")";
}

}  // namespace gatehouse::policies
