#include "proxy/forwarding.h"

#include <algorithm>
#include <iterator>

namespace gatehouse::proxy {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Whether a query parameter's name as sent decodes to `wanted` (ASCII case-insensitive): a
// backend that decodes names, or ignores their case, would read it as that parameter.
bool parameter_name_is(std::string_view raw, std::string_view wanted) {
  size_t at = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size() && http::rules::hex_value(raw[i + 1]) >= 0 &&
        http::rules::hex_value(raw[i + 2]) >= 0) {
      c = static_cast<char>(http::rules::hex_value(raw[i + 1]) * 16 +
                            http::rules::hex_value(raw[i + 2]));
      i += 2;
    }
    if (at == wanted.size() || lower(c) != lower(wanted[at])) return false;
    ++at;
  }
  return at == wanted.size();
}

// RFC 9110 6.5.1 names what a trailer must not carry by category; these are the fields of those
// categories, plus Referer and Origin, which the gateway checks in the head (referrer
// restrictions, CORS). The other hop-by-hop fields, X-Request-ID, X-Forwarded-* and the
// gateway-only fields are known by their HeaderRole.
constexpr std::string_view kForbiddenInTrailers[] = {
    // framing and routing
    "content-length", "transfer-encoding", "trailer", "te", "host", "via", "max-forwards",
    // request modifiers: controls, conditionals, content negotiation
    "cache-control", "expect", "pragma", "range", "if-match", "if-none-match", "if-modified-since",
    "if-unmodified-since", "if-range", "accept", "accept-charset", "accept-encoding",
    "accept-language",
    // authentication and state
    "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate",
    "authentication-info", "proxy-authentication-info", "cookie", "set-cookie",
    // response control data
    "age", "expires", "date", "location", "retry-after", "vary",
    // content format
    "content-type", "content-encoding", "content-language", "content-location", "content-range",
    // checked by the gateway in the head
    "referer", "origin", "access-control-request-method"};

}  // namespace

void append_query_without(std::string& out, std::string_view query, std::string_view name) {
  if (name.empty()) {
    out.push_back('?');
    out.append(query);
    return;
  }
  bool first = true;
  while (true) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    if (!parameter_name_is(pair.substr(0, pair.find('=')), name)) {
      out.push_back(first ? '?' : '&');
      out.append(pair);
      first = false;
    }
    if (end == query.size()) return;
    query.remove_prefix(end + 1);
  }
}

bool forbidden_in_trailers(std::string_view name) {
  return std::any_of(std::begin(kForbiddenInTrailers), std::end(kForbiddenInTrailers),
                     [&](std::string_view forbidden) { return http::iequals(forbidden, name); });
}

void TrailerFilter::append(std::string& out, const std::vector<http::Header>& trailers) const {
  if (trailers.empty()) return;
  const ConnectionOptions connection(head_fields_);
  for (const http::Header& h : trailers) {
    if (h.role != http::HeaderRole::end_to_end || forbidden_in_trailers(h.name) ||
        connection.names(h.name) || edits_.removes(h.name) ||
        (rules_ != nullptr && rules_->stripped.contains(h.name))) {
      continue;
    }
    const bool set_by_gateway =
        std::any_of(edits_.add.begin(), edits_.add.end(),
                    [&](const auto& added) { return http::iequals(added.first, h.name); });
    if (set_by_gateway) continue;
    out.append(h.name).append(": ").append(h.value).append("\r\n");
  }
}

}  // namespace gatehouse::proxy
