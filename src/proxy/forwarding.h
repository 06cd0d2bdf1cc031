// What of a message passes on toward its next hop, for the head writer (proxy/head_writer.h) and
// the body relay: the query without the API key parameter, the fields a message's Connection
// headers name, and the trailer fields that go on. Which configured names an API's backend never
// receives are its ForwardingRules (snapshot/forwarding_rules.h), compiled with the snapshot.
#pragma once

#include <boost/container/small_vector.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/parser_rules.h"
#include "snapshot/forwarding_rules.h"

namespace gatehouse::proxy {

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
                const snapshot::ForwardingRules* rules)
      : head_fields_(head_fields), edits_(edits), rules_(rules) {}

  // Appends "name: value\r\n" for each trailer that goes on.
  void append(std::string& out, const std::vector<http::Header>& trailers) const;

 private:
  const std::vector<http::Header>& head_fields_;
  const http::HeaderEdits& edits_;
  const snapshot::ForwardingRules* rules_;
};

// RFC 9110 6.5.1 and the gateway's own checks: fields never allowed in a trailer section.
bool forbidden_in_trailers(std::string_view name);

}  // namespace gatehouse::proxy
