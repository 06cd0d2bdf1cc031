// Drives the parsers the way a connection does: the head is offered from the message's first byte
// in a buffer that grows (and moves) between calls; body bytes not consumed are offered again with
// the next ones. Every call gets a fresh copy of its bytes, so a view kept from an earlier call
// points into freed memory and AddressSanitizer reports it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/parser.h"

namespace gatehouse::http::testing {

// The head parsed, and the buffer its views point into.
template <class Head>
struct HeadRun {
  std::shared_ptr<const std::string> buffer;
  HeadResult result;
  size_t calls = 0;
};

// Offers `wire` to parse_head in prefixes growing by `step` bytes (the whole of it if step is 0)
// until the parser stops asking for more.
template <class Parser, class Head>
HeadRun<Head> parse_head_in_steps(Parser& parser, std::string_view wire, Head& head,
                                  size_t step = 0) {
  HeadRun<Head> run;
  size_t offered = step == 0 ? wire.size() : 0;
  while (true) {
    offered = std::min(wire.size(), step == 0 ? wire.size() : offered + step);
    run.buffer = std::make_shared<const std::string>(wire.substr(0, offered));
    run.result = parser.parse_head(*run.buffer, head);
    ++run.calls;
    if (run.result.status != ParseStatus::need_more || offered == wire.size()) return run;
  }
}

struct BodyRun {
  std::string body;  // the decoded pieces, joined
  bool complete = false;
  std::optional<ApiError> error;
  std::vector<std::pair<std::string, std::string>> trailers;
  size_t unconsumed = 0;  // bytes of the input left over once complete (the next message)
};

// Offers `bytes` to parse_body `step` bytes more at a time (all at once if step is 0).
template <class Parser>
BodyRun parse_body_in_steps(Parser& parser, std::string_view bytes, size_t step = 0) {
  BodyRun run;
  std::string pending;
  size_t at = 0;
  do {
    const size_t take = step == 0 ? bytes.size() : std::min(step, bytes.size() - at);
    pending.append(bytes.substr(at, take));
    at += take;
    const std::string data = pending;
    std::vector<std::string_view> pieces;
    const BodyResult result = parser.parse_body(data, pieces);
    for (std::string_view piece : pieces) run.body.append(piece);
    if (result.error) {
      run.error = result.error;
      return run;
    }
    pending.erase(0, result.consumed);
    if (result.complete) {
      run.complete = true;
      for (const Header& h : parser.trailers()) run.trailers.emplace_back(h.name, h.value);
      run.unconsumed = pending.size() + (bytes.size() - at);
      return run;
    }
  } while (at < bytes.size());
  return run;
}

}  // namespace gatehouse::http::testing
