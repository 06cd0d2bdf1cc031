#include "policies/rewrite/rewrite_config.h"

#include <cctype>

#include "config/node_reader.h"

namespace gatehouse::policies {

namespace {

// RFC 3986 pchar and "/", except '%', which is checked with its two hex digits.
bool is_path_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view{"-._~!$&'()*+,;=:@/"}.find(c) != std::string_view::npos;
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

std::string at(size_t index) {
  return " (at character " + std::to_string(index + 1) + ")";
}

std::expected<std::vector<PathPiece>, std::string> split_template(std::string_view text) {
  if (text.empty() || text.front() != '/') return std::unexpected("must start with '/'");
  std::vector<PathPiece> pieces;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{') {
      const size_t close = text.find_first_of("{}/", i + 1);
      if (close == std::string_view::npos || text[close] != '}') {
        return std::unexpected("must close each '{' with '}' in the same segment" + at(i));
      }
      if (close == i + 1) {
        return std::unexpected("must name a parameter between '{' and '}'" + at(i));
      }
      if (!literal.empty()) pieces.push_back({PathPiece::Kind::literal, std::move(literal)});
      literal.clear();
      pieces.push_back(
          {PathPiece::Kind::parameter, std::string(text.substr(i + 1, close - i - 1))});
      i = close;
    } else if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
        return std::unexpected("must follow each '%' by two hex digits" + at(i));
      }
      literal.append(text.substr(i, 3));
      i += 2;
    } else if (is_path_char(c)) {
      literal.push_back(c);
    } else {
      return std::unexpected("must percent-encode '" + std::string(1, c) + "'" + at(i));
    }
  }
  if (!literal.empty()) pieces.push_back({PathPiece::Kind::literal, std::move(literal)});
  return pieces;
}

}  // namespace

Parsed<RewriteConfig> parse_rewrite_config(const config::Node& node) {
  config::ConfigErrors errors;
  config::MapReader map(node, "rewrite policy", errors);
  map.allow("type");
  RewriteConfig config;
  if (const std::optional<config::Node> path = map.get("path", config::Presence::required)) {
    if (const std::optional<std::string> text = config::read_string(*path, "path", errors)) {
      auto pieces = split_template(*text);
      if (pieces) {
        config.path = std::move(*pieces);
      } else {
        errors.push_back(config::value_error(*path, "path", pieces.error()));
      }
    }
  }
  map.finish();
  return parsed(std::move(config), errors);
}

}  // namespace gatehouse::policies
