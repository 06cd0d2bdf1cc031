// What both parser fuzz targets check. The input's first bytes choose how the message is cut
// into reads; the rest is the message. The parser must never crash, every view it hands out must
// point into the bytes of the call that produced it (each call gets a fresh copy, so ASan catches
// a stale one), and cutting the input differently must not change what it decides.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_require.h"
#include "http/parser.h"

namespace gatehouse::http::fuzz {

using gatehouse::fuzz::require;

inline bool inside(std::string_view outer, std::string_view inner) {
  return inner.empty() || (inner.data() >= outer.data() &&
                           inner.data() + inner.size() <= outer.data() + outer.size());
}

inline ParserLimits small_limits() {
  ParserLimits limits;
  limits.max_header_bytes = 1024;
  limits.max_headers = 16;
  limits.max_uri_length = 256;
  return limits;
}

struct Outcome {
  ParseStatus head_status = ParseStatus::need_more;
  size_t head_length = 0;
  std::string body;
  bool complete = false;
  bool body_error = false;
  size_t trailers = 0;
};

// Parses `wire` with reads of `head_step` and `body_step` bytes (0: everything at once).
// `check_head` verifies the head's views against the buffer they must point into.
template <class Parser, class Head, class MakeParser, class CheckHead>
Outcome run(std::string_view wire, size_t head_step, size_t body_step, MakeParser make_parser,
            CheckHead check_head) {
  Outcome outcome;
  std::unique_ptr<Parser> parser = make_parser();
  Head head;
  std::unique_ptr<std::string> buffer;
  HeadResult result;
  size_t offered = 0;
  do {
    offered = head_step == 0 ? wire.size() : std::min(wire.size(), offered + head_step);
    buffer = std::make_unique<std::string>(wire.substr(0, offered));
    result = parser->parse_head(*buffer, head);
  } while (result.status == ParseStatus::need_more && offered < wire.size());
  outcome.head_status = result.status;
  require((result.status == ParseStatus::error) == result.error.has_value(),
          "an error status comes with an error");
  if (result.status != ParseStatus::done) return outcome;
  require(result.consumed > 0 && result.consumed <= buffer->size(), "head length within buffer");
  check_head(head, std::string_view(*buffer));
  outcome.head_length = result.consumed;

  const std::string_view rest = wire.substr(result.consumed);
  std::string pending;
  size_t at = 0;
  do {
    const size_t take = body_step == 0 ? rest.size() : std::min(body_step, rest.size() - at);
    pending.append(rest.substr(at, take));
    at += take;
    const std::string data = pending;
    std::vector<std::string_view> pieces;
    const BodyResult body = parser->parse_body(data, pieces);
    require(body.consumed <= data.size(), "body consumed within data");
    for (std::string_view piece : pieces) {
      require(inside(data, piece), "body piece inside data");
      outcome.body.append(piece);
    }
    if (body.error) {
      outcome.body_error = true;
      return outcome;
    }
    pending.erase(0, body.consumed);
    if (body.complete) {
      outcome.complete = true;
      for (const Header& h : parser->trailers()) {
        require(inside(data, h.name) && inside(data, h.value), "trailer inside data");
      }
      outcome.trailers = parser->trailers().size();
      return outcome;
    }
  } while (at < rest.size());
  return outcome;
}

inline void require_same(const Outcome& whole, const Outcome& cut) {
  require(whole.head_status == cut.head_status, "same head decision however the input is cut");
  require(whole.head_length == cut.head_length, "same head length however the input is cut");
  require(whole.body_error == cut.body_error, "same body decision however the input is cut");
  if (whole.body_error) return;
  require(whole.complete == cut.complete, "same completion however the input is cut");
  require(whole.body == cut.body, "same body however the input is cut");
  require(whole.trailers == cut.trailers, "same trailers however the input is cut");
}

inline void check_fields(const std::vector<Header>& fields, std::string_view buffer) {
  for (const Header& h : fields) {
    require(inside(buffer, h.name) && inside(buffer, h.value), "field inside buffer");
    require(!h.name.empty(), "field names are not empty");
  }
}

}  // namespace gatehouse::http::fuzz
