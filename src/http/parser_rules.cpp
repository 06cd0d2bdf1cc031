#include "http/parser_rules.h"

#include <array>
#include <cstdio>

#include "http/message.h"

namespace gatehouse::http::rules {

namespace {

using CharSet = std::array<bool, 256>;

constexpr CharSet make_set(std::string_view extra, bool alnum) {
  CharSet set{};
  for (int c = 0; c < 256; ++c) {
    set[c] = alnum && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  for (char c : extra) set[static_cast<unsigned char>(c)] = true;
  return set;
}

constexpr CharSet kTchar = make_set("!#$%&'*+-.^_`|~", true);
// RFC 3986 pchar plus '/' and '?', without '%' which is checked with its two hex digits.
constexpr CharSet kTargetChar = make_set("-._~!$&'()*+,;=:@/?", true);
// Characters that RFC 3986 leaves out but that browsers send unencoded in query strings; refusing
// them breaks real clients without closing any attack.
constexpr CharSet kQueryExtra = make_set("[]{}|^`", false);
// reg-name (unreserved / sub-delims) of RFC 3986; '%' is checked apart.
constexpr CharSet kHostChar = make_set("-._~!$&'()*+,;=", true);
constexpr CharSet kIpLiteralChar = make_set(":.-_~!$&'()*+,;=", true);

bool in(const CharSet& set, char c) {
  return set[static_cast<unsigned char>(c)];
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

std::string hex_byte(char c) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned char>(c));
  return text;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// HTTP-version = "HTTP/" DIGIT "." DIGIT; nothing when malformed, else 10 * major + minor.
std::optional<int> parse_version(std::string_view text) {
  if (text.size() != 8 || !text.starts_with("HTTP/") || !is_digit(text[5]) || text[6] != '.' ||
      !is_digit(text[7])) {
    return std::nullopt;
  }
  return (text[5] - '0') * 10 + (text[7] - '0');
}

std::optional<ApiError> check_version(std::string_view text, int& minor) {
  const std::optional<int> version = parse_version(text);
  if (!version) {
    return errors::bad_request("malformed HTTP version in the request line (expected HTTP/1.1)");
  }
  if (*version != 10 && *version != 11) {
    return version_not_supported("HTTP/" + std::to_string(*version / 10) + "." +
                                 std::to_string(*version % 10) +
                                 " is not supported on this connection; use HTTP/1.1");
  }
  minor = *version % 10;
  return std::nullopt;
}

// Checks the characters of a path or a query; `query` allows what browsers leave unencoded there.
std::optional<ApiError> check_target_chars(std::string_view text, bool query) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in(kTargetChar, c) || (query && in(kQueryExtra, c))) continue;
    if (c == '%') {
      if (i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2])) {
        i += 2;
        continue;
      }
      return errors::bad_request("request target has a '%' not followed by two hexadecimal digits");
    }
    if (c == '#') return errors::bad_request("request target must not contain a fragment ('#')");
    return errors::bad_request("request target contains the character " + hex_byte(c) +
                               ", which must be percent-encoded");
  }
  return std::nullopt;
}

// Splits "path?query" and checks both parts.
std::optional<ApiError> check_path_and_query(std::string_view text, RequestLine& out) {
  const size_t question = text.find('?');
  out.path = text.substr(0, question);
  out.query = question == std::string_view::npos ? std::string_view{} : text.substr(question + 1);
  if (auto error = check_target_chars(out.path, false)) return error;
  return check_target_chars(out.query, true);
}

std::optional<ApiError> check_absolute_form(std::string_view target, RequestLine& out) {
  const size_t colon = target.find("://");
  const std::string_view scheme = target.substr(0, colon);
  if (colon == std::string_view::npos || !(iequals(scheme, "http") || iequals(scheme, "https"))) {
    return errors::bad_request(
        "request target must be an absolute path ('/...'), an http(s) URI, or '*' with OPTIONS");
  }
  const std::string_view rest = target.substr(colon + 3);
  const size_t authority_end = rest.find_first_of("/?");
  out.authority = rest.substr(0, authority_end);
  if (out.authority.empty() || out.authority.find('@') != std::string_view::npos ||
      !is_valid_host(out.authority)) {
    return errors::bad_request("request target URI has no valid host[:port] authority");
  }
  if (authority_end == std::string_view::npos) {
    out.path = "/";
    return std::nullopt;
  }
  if (auto error = check_path_and_query(rest.substr(authority_end), out)) return error;
  if (out.path.empty()) out.path = "/";
  return std::nullopt;
}

std::optional<ApiError> check_target(std::string_view target, RequestLine& out) {
  if (out.method == "CONNECT") {
    return errors::not_implemented("CONNECT (tunnelling) is not supported by this gateway");
  }
  if (target == "*") {
    if (out.method != "OPTIONS") {
      return errors::bad_request("the request target '*' is allowed only with OPTIONS");
    }
    out.path = target;
    return std::nullopt;
  }
  if (target.front() == '/') return check_path_and_query(target, out);
  return check_absolute_form(target, out);
}

std::optional<ApiError> check_method(std::string_view method) {
  if (method.empty()) return errors::bad_request("request line starts with a space: no method");
  for (char c : method) {
    if (!is_tchar(c)) {
      return errors::bad_request("method contains the character " + hex_byte(c) +
                                 ", which is not allowed in a token");
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_tchar(char c) {
  return in(kTchar, c);
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_hex_digit(char c) {
  return is_hex(c);
}

std::optional<ApiError> check_request_line(std::string_view line, size_t max_uri_length,
                                           RequestLine& out) {
  const size_t method_end = line.find(' ');
  if (method_end == std::string_view::npos) {
    return check_method(line).value_or(
        errors::bad_request("request line has no request target and no HTTP version"));
  }
  out.method = line.substr(0, method_end);
  if (auto error = check_method(out.method)) return error;

  const size_t target_end = line.find(' ', method_end + 1);
  out.target = line.substr(method_end + 1, target_end == std::string_view::npos
                                               ? std::string_view::npos
                                               : target_end - method_end - 1);
  // The length is judged first, as check_request_line_prefix judges it.
  if (out.target.size() > max_uri_length) return errors::uri_too_long(max_uri_length);
  if (target_end == std::string_view::npos) {
    return errors::bad_request("request line has no HTTP version (HTTP/0.9 is not supported)");
  }
  if (out.target.empty()) {
    return errors::bad_request("request line has more than one space after the method");
  }
  if (line.find(' ', target_end + 1) != std::string_view::npos) {
    return errors::bad_request("request line has a space inside the request target");
  }
  if (auto error = check_version(line.substr(target_end + 1), out.version_minor)) return error;
  return check_target(out.target, out);
}

std::optional<ApiError> check_request_line_prefix(std::string_view prefix, size_t max_uri_length,
                                                  RequestLinePrefix& progress) {
  // A CR at the very end may be the start of the line's CRLF: the complete line decides.
  if (prefix.ends_with('\r')) prefix.remove_suffix(1);
  for (; progress.method_end == 0 && progress.checked < prefix.size(); ++progress.checked) {
    const char c = prefix[progress.checked];
    if (c == ' ') {
      if (progress.checked == 0) return check_method({});
      progress.method_end = progress.checked;
    } else if (!is_tchar(c)) {
      return check_method(prefix.substr(0, progress.checked + 1));
    }
  }
  if (progress.method_end == 0) return std::nullopt;
  const size_t target_start = progress.method_end + 1;
  for (progress.checked = std::max(progress.checked, target_start);
       progress.target_end == 0 && progress.checked < prefix.size(); ++progress.checked) {
    if (prefix[progress.checked] == ' ') progress.target_end = progress.checked;
  }
  const size_t target_end = progress.target_end != 0 ? progress.target_end : prefix.size();
  if (target_end - target_start > max_uri_length) return errors::uri_too_long(max_uri_length);
  return std::nullopt;
}

std::optional<std::string> check_status_line(std::string_view line, StatusLine& out) {
  const std::optional<int> version = parse_version(line.substr(0, 8));
  if (!version) return "malformed HTTP version in the status line";
  if (*version != 10 && *version != 11) return "unsupported HTTP version in the status line";
  out.version_minor = *version % 10;
  if (line.size() < 13 || line[8] != ' ' || !is_digit(line[9]) || !is_digit(line[10]) ||
      !is_digit(line[11]) || line[12] != ' ') {
    return "status line is not 'HTTP/1.x SP 3DIGIT SP reason'";
  }
  out.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (out.status < 100 || out.status > 599) return "status code outside 100..599";
  out.reason = line.substr(13);
  for (char c : out.reason) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      return "reason phrase contains the control character " + hex_byte(c);
    }
  }
  return std::nullopt;
}

std::optional<std::string> describe_field_line(std::string_view line) {
  if (!line.empty() && is_ows(line.front())) {
    return "obsolete line folding (a field line starting with a space or tab) is not allowed";
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return "field line has no colon";
  if (colon == 0) return "field line has an empty field name";
  const std::string_view name = line.substr(0, colon);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (is_tchar(c)) continue;
    if (is_ows(c) && trim(name.substr(i)).empty()) {
      return "whitespace between the field name and the colon is not allowed";
    }
    if (c == '\0') return "field name contains a NUL byte";
    if (c == '\r') return "field name contains a bare CR";
    return "field name contains the character " + hex_byte(c) + ", which is not allowed in a token";
  }
  for (char c : line.substr(colon + 1)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\0') return "value of field " + quote(name) + " contains a NUL byte";
    if (c == '\r') return "value of field " + quote(name) + " contains a bare CR";
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      return "value of field " + quote(name) + " contains the control character " + hex_byte(c);
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_content_length(std::string_view value, uint64_t& out) {
  if (value.empty()) return "Content-Length is empty";
  uint64_t length = 0;
  for (char c : value) {
    if (!is_digit(c)) return "Content-Length is not a decimal number (1*DIGIT)";
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (length > (UINT64_MAX - digit) / 10) return "Content-Length overflows 64 bits";
    length = length * 10 + digit;
  }
  out = length;
  return std::nullopt;
}

TransferCoding classify_transfer_encoding(std::string_view value) {
  if (iequals(value, "chunked")) return TransferCoding::chunked;
  int chunked = 0;
  bool last_is_chunked = false;
  while (true) {
    const size_t comma = value.find(',');
    const std::string_view coding = trim(value.substr(0, comma));
    if (coding.empty()) return TransferCoding::malformed;
    for (char c : coding) {
      if (!is_tchar(c)) return TransferCoding::malformed;
    }
    last_is_chunked = iequals(coding, "chunked");
    chunked += last_is_chunked ? 1 : 0;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (chunked > 1) return TransferCoding::malformed;
  return last_is_chunked ? TransferCoding::unsupported : TransferCoding::not_final;
}

bool list_has_token(std::string_view list, std::string_view token) {
  do {
    if (iequals(next_list_item(list), token)) return true;
  } while (!list.empty());
  return false;
}

std::string_view next_list_item(std::string_view& list) {
  const size_t comma = list.find(',');
  const std::string_view item = trim(list.substr(0, comma));
  list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
  return item;
}

bool is_valid_host(std::string_view value) {
  std::string_view port;
  if (value.starts_with('[')) {
    const size_t close = value.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : value.substr(1, close - 1)) {
      if (!in(kIpLiteralChar, c)) return false;
    }
    const std::string_view after = value.substr(close + 1);
    if (!after.empty() && after.front() != ':') return false;
    port = after.empty() ? after : after.substr(1);
  } else {
    const size_t colon = value.find(':');
    const std::string_view host = value.substr(0, colon);
    for (size_t i = 0; i < host.size(); ++i) {
      if (in(kHostChar, host[i])) continue;
      if (host[i] == '%' && i + 2 < host.size() && is_hex(host[i + 1]) && is_hex(host[i + 2])) {
        i += 2;
        continue;
      }
      return false;
    }
    port = colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
  }
  // port = *DIGIT (RFC 3986 section 3.2.3), and a TCP port fits in 16 bits.
  uint32_t number = 0;
  for (char c : port) {
    if (!is_digit(c)) return false;
    number = number * 10 + static_cast<uint32_t>(c - '0');
    if (number > 65535) return false;
  }
  return true;
}

std::string quote(std::string_view token) {
  constexpr size_t kMaxShown = 64;
  std::string shown = "'";
  for (char c : token.substr(0, kMaxShown)) {
    const auto byte = static_cast<unsigned char>(c);
    shown += (byte >= 0x20 && byte < 0x7f) ? c : '?';
  }
  if (token.size() > kMaxShown) shown += "...";
  return shown + "'";
}

ApiError version_not_supported(std::string_view description) {
  return {505, 505, "HTTP Version Not Supported", std::string(description)};
}

ApiError expectation_failed(std::string_view description) {
  return {417, 417, "Expectation Failed", std::string(description)};
}

}  // namespace gatehouse::http::rules
