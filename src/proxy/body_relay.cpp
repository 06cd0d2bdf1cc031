#include "proxy/body_relay.h"

#include <boost/asio/ssl/error.hpp>
#include <boost/container/small_vector.hpp>

#include <charconv>
#include <string>
#include <vector>

#include "http/parser.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;

namespace {

// Bad chunk framing or trailers: the parser's answer, a 400 for a request body and a 502 for a
// response body.
Error framing_error(const RelaySource& source, ApiError answer) {
  const ErrorKind kind =
      source.peer == ErrorSource::client ? ErrorKind::bad_request : ErrorKind::bad_response;
  return Error(kind, source.peer, std::move(answer), "body framing");
}

// The source failed to deliver the body: it closed, or (the watchdog) it was too slow. A client
// too slow hears 408; a backend's failure is answered by the caller, who knows the API.
Error source_failed(const RelaySource& source, const net::Watchdog& watchdog,
                    const net::error_code& error) {
  if (!watchdog.expired()) {
    return Error(ErrorKind::closed, source.peer, "body ended early", error.message());
  }
  if (source.peer == ErrorSource::client) {
    return Error(ErrorKind::timeout, source.peer, errors::request_timeout(), "body");
  }
  return Error(ErrorKind::timeout, source.peer, "body");
}

Error sink_failed(const RelaySink& sink, const net::error_code& error) {
  return Error(ErrorKind::closed, sink.peer, "body not taken", error.message());
}

// Appends the chunk framing around `pieces` (one chunk for all of them) or the pieces alone.
class Reframer {
 public:
  explicit Reframer(http::BodyFraming framing) : chunked_(framing == http::BodyFraming::chunked) {}

  void add_prefix(asio::const_buffer prefix) {
    if (prefix.size() != 0) buffers_.push_back(prefix);
  }

  void add(const std::vector<std::string_view>& pieces) {
    size_t total = 0;
    for (std::string_view piece : pieces) total += piece.size();
    if (total == 0) return;
    if (chunked_) {
      char* end = std::to_chars(size_line_, size_line_ + 16, total, 16).ptr;
      *end++ = '\r';
      *end++ = '\n';
      buffers_.emplace_back(size_line_, static_cast<size_t>(end - size_line_));
    }
    for (std::string_view piece : pieces) {
      if (!piece.empty()) buffers_.emplace_back(piece.data(), piece.size());
    }
    if (chunked_) buffers_.emplace_back("\r\n", 2);
  }

  void add_last_chunk(const std::vector<http::Header>& trailers, const TrailerFilter* filter) {
    if (!chunked_) return;
    last_chunk_ = "0\r\n";
    if (filter != nullptr) filter->append(last_chunk_, trailers);
    last_chunk_.append("\r\n");
    buffers_.emplace_back(last_chunk_.data(), last_chunk_.size());
  }

  std::span<const asio::const_buffer> buffers() const { return {buffers_.data(), buffers_.size()}; }
  bool empty() const { return buffers_.empty(); }
  void clear() { buffers_.clear(); }

 private:
  bool chunked_;
  char size_line_[20];
  std::string last_chunk_;
  boost::container::small_vector<asio::const_buffer, 8> buffers_;
};

// A relay's state between its suspensions. The relay's coroutine holds little else: what does
// not wait is done by the plain functions below, so that its frame stays within the size Asio
// recycles (frames over 1020 bytes are malloc'd for every body).
struct Relay {
  explicit Relay(http::BodyFraming framing) : out(framing) {}

  RelayResult result;
  Reframer out;           // what the next write sends
  size_t consumed = 0;    // source bytes the last decoding used
  bool complete = false;  // the body has ended
};

// Decodes what is buffered and queues it, re-framed, for the sink. False if the relay fails:
// `relay.result` says why.
template <class Parser>
bool decode_buffered(Parser& parser, const RelaySource& source, const RelaySink& sink,
                     uint64_t limit, std::vector<std::string_view>& pieces, Relay& relay) {
  pieces.clear();
  http::BodyResult parsed = parser.parse_body(source.buffer.readable(), pieces);
  if (parsed.error) {
    relay.result.error = framing_error(source, std::move(*parsed.error));
    return false;
  }
  for (std::string_view piece : pieces) relay.result.bytes += piece.size();
  if (limit != 0 && relay.result.bytes > limit) {
    relay.result.error =
        Error(ErrorKind::too_large, source.peer, errors::payload_too_large(limit), "body");
    return false;
  }
  if (sink.collect != nullptr) {
    for (std::string_view piece : pieces) sink.collect->append(piece);
  }
  relay.out.clear();
  relay.out.add_prefix(sink.prefix);
  relay.out.add(pieces);
  if (parsed.complete) relay.out.add_last_chunk(parser.trailers(), sink.trailers);
  relay.consumed = parsed.consumed;
  relay.complete = parsed.complete;
  return true;
}

// Drops what was relayed, keeping an undecoded rest (a partial chunk-size line) after the head.
// False if that rest is too long to be one.
bool drop_relayed(const RelaySource& source, Relay& relay) {
  source.buffer.consume(relay.consumed);
  source.buffer.compact_to(source.head_length);
  if (source.buffer.size() <= max_unparsed) return true;
  relay.result.error = framing_error(source, errors::bad_request("chunk header line too long"));
  return false;
}

// The source closed with `error`: true if that ends the body (one delimited by the end of the
// connection), with its last chunk queued for the sink.
template <class Parser>
bool ends_at_close(Parser& parser, const net::error_code& error, const RelaySink& sink,
                   Relay& relay) {
  if constexpr (requires { parser.finish(); }) {
    if (error != asio::error::eof && error != asio::ssl::error::stream_truncated) return false;
    http::BodyResult last = parser.finish();
    if (!last.complete || last.error) return false;
    relay.out.clear();
    relay.out.add_last_chunk(parser.trailers(), sink.trailers);
    return true;
  }
  return false;
}

}  // namespace

template <class Parser>
asio::awaitable<RelayResult> relay_body(Parser& parser, RelaySource source, RelaySink sink,
                                        net::Watchdog& watchdog, uint64_t limit,
                                        std::vector<std::string_view>& pieces) {
  Relay relay(sink.framing);
  for (;;) {
    if (!decode_buffered(parser, source, sink, limit, pieces, relay)) co_return relay.result;
    if (sink.stream != nullptr && !relay.out.empty()) {
      watchdog.arm(*sink.stream, sink.write_timeout);
      relay.result.sink_written = true;
      const net::IoResult written = co_await sink.stream->write(relay.out.buffers());
      if (written.error) {
        relay.result.error = sink_failed(sink, written.error);
        co_return relay.result;
      }
      sink.prefix = {};
    }
    if (relay.complete) {
      source.buffer.consume(relay.consumed);
      co_return relay.result;
    }
    if (!drop_relayed(source, relay)) co_return relay.result;

    size_t room = 0;
    char* into = source.buffer.prepare(read_window, room);
    watchdog.arm(source.stream, source.read_timeout);
    const net::IoResult read = co_await source.stream.read_some(into, room);
    if (!read.error) {
      source.buffer.commit(read.bytes);
      continue;
    }
    if (watchdog.expired() || !ends_at_close(parser, read.error, sink, relay)) {
      relay.result.error = source_failed(source, watchdog, read.error);
      co_return relay.result;
    }
    if (sink.stream != nullptr && !relay.out.empty()) {
      watchdog.arm(*sink.stream, sink.write_timeout);
      relay.result.sink_written = true;
      const net::IoResult written = co_await sink.stream->write(relay.out.buffers());
      if (written.error) relay.result.error = sink_failed(sink, written.error);
    }
    co_return relay.result;
  }
}

template asio::awaitable<RelayResult> relay_body(http::RequestParser&, RelaySource, RelaySink,
                                                 net::Watchdog&, uint64_t,
                                                 std::vector<std::string_view>&);
template asio::awaitable<RelayResult> relay_body(http::ResponseParser&, RelaySource, RelaySink,
                                                 net::Watchdog&, uint64_t,
                                                 std::vector<std::string_view>&);

}  // namespace gatehouse::proxy
