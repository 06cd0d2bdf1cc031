// Parsed HTTP/1.x message heads. Names and values are views into the connection's read buffer,
// which keeps the head bytes in place for the whole exchange; nothing is copied on parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::http {

// What a proxy does with a header, which its name decides. Found once per header, when the head
// is parsed, so that the heads written onward compare no names.
enum class HeaderRole : uint8_t {
  end_to_end,  // forwarded as received
  connection,  // hop-by-hop, and names further hop-by-hop fields (RFC 9110 7.6.1)
  // Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade; and Content-Length,
  // which the framing the gateway chooses sends again.
  hop_by_hop,
  host,
  expect,
  x_request_id,
  x_forwarded_for,
  x_forwarded_host,
  x_forwarded_proto,
  // The caller's credentials: not sent to a secured API's backend (snapshot/forwarding_rules.h).
  authorization,
  // Never forwarded from a client, whatever the API: a field a backend could take for the word
  // of the gateway or of a proxy in front of it. Forwarded, X-Real-IP and every other
  // X-Forwarded-* (the gateway sets X-Forwarded-For, -Host and -Proto itself), X-Original-URL
  // and X-Rewrite-URL (request-target overrides), X-HTTP-Method-Override, X-HTTP-Method and
  // X-Method-Override (the gateway authorised the request line's method, not another), and
  // Proxy-Authorization (a credential for this hop).
  gateway_only,
};

HeaderRole header_role(std::string_view name);

struct Header {
  Header(std::string_view name, std::string_view value)
      : name(name), value(value), role(header_role(name)) {}
  Header(std::string_view name, std::string_view value, HeaderRole role)
      : name(name), value(value), role(role) {}

  std::string_view name;
  std::string_view value;
  HeaderRole role;
};

// ASCII case-insensitive equality, as header names and tokens compare.
bool iequals_same_length(const char* a, const char* b, size_t length);
inline bool iequals(std::string_view a, std::string_view b) {
  // Inline for the length test, which settles most comparisons of header names.
  return a.size() == b.size() && iequals_same_length(a.data(), b.data(), a.size());
}

// An Authorization value's credentials: `Bearer xyz` → "xyz" when the value starts with `scheme`
// (case-insensitive, RFC 9110 section 11.1) and a space; nullopt for another scheme.
std::optional<std::string_view> after_scheme(std::string_view value, std::string_view scheme);

// Whether a Content-Type value names `media_type`: compared without regard to case, its
// parameters ("; charset=UTF-8") and the white space before them aside (RFC 9110 section 8.3.1).
bool has_media_type(std::string_view content_type, std::string_view media_type);

// Looks up the first header with this name (case-insensitive); empty view and false if absent.
const Header* find_header(const std::vector<Header>& headers, std::string_view name);

// How the body of a message is framed on the wire (RFC 9112 section 6).
enum class BodyFraming { none, content_length, chunked, until_close };

struct RequestHead {
  std::string_view method;
  std::string_view target;  // as received: origin-form "/path?query" (or absolute-form)
  std::string_view path;    // target without the query
  std::string_view query;   // without the '?'; empty if none
  int version_minor = 1;    // HTTP/1.<minor>
  std::vector<Header> headers;
  BodyFraming framing = BodyFraming::none;
  uint64_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::string_view host;  // the Host header's value
};

struct ResponseHead {
  int status = 0;
  std::string_view reason;
  int version_minor = 1;
  std::vector<Header> headers;
  BodyFraming framing = BodyFraming::none;
  uint64_t content_length = 0;
  bool keep_alive = true;
};

// Header edits that policies ask for; applied when the head is written out.
struct HeaderEdits {
  std::vector<std::string> remove;  // names, case-insensitive
  std::vector<std::pair<std::string, std::string>> add;

  // Replaces every header of this name, received or added before, by one with this value.
  void set(std::string name, std::string value);
  bool removes(std::string_view name) const;
  bool empty() const { return remove.empty() && add.empty(); }
};

}  // namespace gatehouse::http
