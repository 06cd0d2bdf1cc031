// What of a client's request never reaches a backend, beyond the hop-by-hop fields: the fields a
// backend would take for the gateway's word, and the caller's credentials on a secured API.
// Compiled once per snapshot and API, so that the head writer compares a name only when a
// configured name has its length. The same rules decide which trailer fields go on.
//
// Always removed, on every API and resource (see http::HeaderRole::gateway_only for the fixed
// names): every backend JWT header any API configures and every client-certificate header any
// API trusts from a proxy, with their defaults (X-JWT-Assertion, X-WSO2-CLIENT-CERTIFICATE).
// Names of every API, not only the one called: one backend may serve several APIs.
//
// The credentials of a secured API: Authorization (unless its backend_jwt keeps it), the API key
// header and the API key query parameter, on every resource, `auth: none` ones included. The
// backend learns who called from the backend JWT, not from the caller's credentials. An open API
// (no `security`) removes no credentials: it is a pass-through, and its backend may authenticate
// callers itself.
#pragma once

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"
#include "http/message.h"
#include "http/parser_rules.h"

namespace gatehouse::proxy {

// Header names, ASCII case-insensitive. A name is compared only with set members of its length,
// which a bit per length finds: most fields of a request cost one bit test.
class HeaderNameSet {
 public:
  void add(std::string_view name);
  bool contains(std::string_view name) const {
    return (lengths_ & length_bit(name.size())) != 0 && contains_slow(name);
  }

 private:
  static uint64_t length_bit(size_t length) { return uint64_t{1} << (length < 63 ? length : 63); }
  bool contains_slow(std::string_view name) const;

  uint64_t lengths_ = 0;
  std::vector<std::string> names_;
};

struct ForwardingRules {
  HeaderNameSet stripped;            // received fields never forwarded (configured names)
  bool strip_authorization = false;  // Authorization of a secured API
  std::string stripped_query_param;  // the API key parameter of a secured API; empty: none
};

// The rules of each API of `config`, in its order.
std::vector<ForwardingRules> compile_forwarding_rules(const config::Config& config);

// `query` (without '?') less every parameter whose name, percent-decoded, is `name` in any case
// (none when `name` is empty); the others are kept byte for byte and in order. Appended to `out`
// after a '?' unless nothing is left.
void append_query_without(std::string& out, std::string_view query, std::string_view name);

// The fields a message's Connection headers name (RFC 9110 7.6.1), which go no further. The
// lists are split once per message, not once per field. Inline: each head written asks it about
// every field (out of line: 200 instructions more per proxied request of 5 fields).
class ConnectionOptions {
 public:
  explicit ConnectionOptions(const std::vector<http::Header>& headers) {
    for (const http::Header& h : headers) {
      if (h.role != http::HeaderRole::connection) continue;
      for (std::string_view list = h.value; !list.empty();) {
        const std::string_view token = http::rules::next_list_item(list);
        if (!token.empty()) tokens_.push_back(token);
      }
    }
  }

  bool names(std::string_view field) const {
    for (std::string_view token : tokens_) {
      if (http::iequals(token, field)) return true;
    }
    return false;
  }

 private:
  boost::container::small_vector<std::string_view, 4> tokens_;
};

// Which trailer fields of a chunked message go on (RFC 9110 6.5). A field goes on only if the
// same field would be forwarded unchanged in the head (not hop-by-hop or named by the head's
// Connection, not one the gateway removes, sets or adds), and RFC 9110 6.5.1 does not rule it out
// of trailers: framing, routing, request modifiers (controls, conditionals, negotiation),
// authentication and cookies, response control data, content format; nor Referer or Origin,
// which the gateway checks in the head. Anything else goes on: trailers carry what applications
// define (checksums, timings), and a field the head may carry is no more dangerous behind the body.
// A deny-list by that rule rather than an allow-list of known trailer fields, because the gateway
// forwards unknown header fields as well: an allow-list would break application trailers and
// protect nothing the head does not already let through.
class TrailerFilter {
 public:
  // `rules`: the API's, for a request; null for a response.
  TrailerFilter(const std::vector<http::Header>& head_fields, const http::HeaderEdits& edits,
                const ForwardingRules* rules)
      : head_fields_(head_fields), edits_(edits), rules_(rules) {}

  // Appends "name: value\r\n" for each trailer that goes on.
  void append(std::string& out, const std::vector<http::Header>& trailers) const;

 private:
  const std::vector<http::Header>& head_fields_;
  const http::HeaderEdits& edits_;
  const ForwardingRules* rules_;
};

// RFC 9110 6.5.1 and the gateway's own checks: fields never allowed in a trailer section.
bool forbidden_in_trailers(std::string_view name);

}  // namespace gatehouse::proxy
