#include "security/identity/referrer_matcher.h"

#include <algorithm>

namespace gatehouse::identity {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme_char(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// The length of a leading "scheme://", or 0.
size_t scheme_prefix_size(std::string_view text) {
  if (text.empty() || !is_alpha(text[0])) return 0;
  size_t end = 1;
  while (end < text.size() && is_scheme_char(text[end])) ++end;
  return text.substr(end).starts_with("://") ? end + 3 : 0;
}

size_t host_end(std::string_view text, size_t host_start) {
  return std::min(text.find_first_of("/?#", host_start), text.size());
}

// `*` matches any run of characters. Characters of `value` before `fold_end` are lowercased before
// comparing (the pattern's are lowercased already). On a mismatch only the last star backtracks,
// which is enough for a whole-value match: O(pattern × value) at worst, both bounded.
bool glob_matches(std::string_view pattern, std::string_view value, size_t fold_end) {
  size_t p = 0, v = 0;
  size_t star = std::string_view::npos, star_v = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_v = v;
      continue;
    }
    if (p < pattern.size() && pattern[p] == (v < fold_end ? lower(value[v]) : value[v])) {
      ++p;
      ++v;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    v = ++star_v;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

std::expected<ReferrerMatcher, MatcherError> ReferrerMatcher::parse(
    const std::vector<std::string>& entries) {
  if (entries.size() > max_entries) {
    return std::unexpected(MatcherError{
        max_entries, "more than " + std::to_string(max_entries) + " referrer patterns"});
  }
  ReferrerMatcher matcher;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string text = entries[i];
    if (text.empty() || text.size() > max_pattern_size) {
      return std::unexpected(MatcherError{
          i, "a referrer pattern has 1 to " + std::to_string(max_pattern_size) + " characters"});
    }
    if (!std::ranges::all_of(text, [](char c) { return c > ' ' && c < 0x7f; })) {
      return std::unexpected(MatcherError{
          i, "\"" + text + "\": a referrer pattern has no spaces, controls or non-ASCII bytes"});
    }
    size_t separator = text.find("://");
    bool has_scheme = separator != std::string::npos && text.find('/') == separator + 1;
    size_t fold_end = host_end(text, has_scheme ? separator + 3 : 0);
    std::transform(text.begin(), text.begin() + static_cast<ptrdiff_t>(fold_end), text.begin(),
                   lower);
    matcher.patterns_.push_back({std::move(text), has_scheme});
  }
  return matcher;
}

bool ReferrerMatcher::matches(std::string_view referer) const {
  if (referer.empty() || referer.size() > max_referer_size) return false;
  size_t scheme_size = scheme_prefix_size(referer);
  size_t fold_end = host_end(referer, scheme_size);
  std::string_view without_scheme = referer.substr(scheme_size);
  for (const Pattern& pattern : patterns_) {
    bool matched = pattern.has_scheme
                       ? glob_matches(pattern.text, referer, fold_end)
                       : glob_matches(pattern.text, without_scheme, fold_end - scheme_size);
    if (matched) return true;
  }
  return false;
}

}  // namespace gatehouse::identity
