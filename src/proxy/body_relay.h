// Streams one message body from one connection to the other with bounded memory: read into the
// source's buffer window, decode (de-chunk) with the message's parser, write the pieces on at
// once, re-framed for the other side, then reuse the window.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/stream.h"
#include "net/watchdog.h"
#include "proxy/forwarding.h"

namespace gatehouse::proxy {

struct RelaySource {
  net::Stream& stream;
  net::ByteBuffer& buffer;  // holds the head at [0, head_length); body bytes follow
  size_t head_length = 0;
  std::chrono::milliseconds read_timeout;
  ErrorSource peer;  // whose body it is: the source of the errors on this side
};

struct RelaySink {
  net::Stream* stream = nullptr;                        // null: read and discard (or collect)
  ErrorSource peer = ErrorSource::client;               // who receives the body
  http::BodyFraming framing = http::BodyFraming::none;  // content_length: as is; chunked: re-chunk
  std::chrono::milliseconds write_timeout;
  // Bytes to send before the body (the message head), in the same write as its first bytes.
  boost::asio::const_buffer prefix{};
  // Which trailer fields of a chunked body go on to a chunked sink; null: none does.
  const TrailerFilter* trailers = nullptr;
  // With no stream: the decoded body is appended here (a body a policy reads whole).
  std::string* collect = nullptr;
};

struct RelayResult {
  // Empty: the whole body was read and written. Otherwise, from the source's peer: closed (it
  // closed or failed before the body ended), timeout (answered 408 when that peer is the
  // client), bad_request or bad_response (the framing or trailers, answered as the parser
  // says), too_large (more than the limit, answered 413); from the sink's peer: closed (it
  // closed or did not take the bytes in time).
  std::optional<Error> error;
  uint64_t bytes = 0;  // decoded body bytes moved
  // Whether anything (the prefix at least) was handed to the sink: if not, a failed relay can
  // still be answered with an error of its own.
  bool sink_written = false;
};

// The buffer must have room for head_length + body_buffer_room bytes before the relay starts, so
// that it never grows (and never moves the head) while the body passes.
inline constexpr size_t read_window = 16 * 1024;
// A partial chunk-size line or trailer section, at most; the parser refuses a longer one first.
inline constexpr size_t max_unparsed = http::kMaxChunkSectionBytes;
inline constexpr size_t body_buffer_room = read_window + max_unparsed;

// Whether a relay of this body will read (and so needs its read window after the head): not when
// a Content-Length body is whole in the buffer already, as small bodies usually are.
inline bool body_needs_reads(http::BodyFraming framing, uint64_t content_length,
                             size_t buffered_after_head) {
  if (framing == http::BodyFraming::none) return false;
  return framing != http::BodyFraming::content_length || buffered_after_head < content_length;
}

// `limit` 0 means unlimited. Works for request and response parsers alike. `pieces` is scratch
// space for one decoding step: its contents are never needed across a suspension, so one vector
// per worker serves every connection without an allocation per body.
template <class Parser>
boost::asio::awaitable<RelayResult> relay_body(Parser& parser, RelaySource source, RelaySink sink,
                                               net::Watchdog& watchdog, uint64_t limit,
                                               std::vector<std::string_view>& pieces);

}  // namespace gatehouse::proxy
