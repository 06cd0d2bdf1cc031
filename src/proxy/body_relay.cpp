#include "proxy/body_relay.h"

#include <boost/container/small_vector.hpp>

#include <charconv>
#include <string>
#include <vector>

#include "http/parser.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;
using Outcome = RelayResult::Outcome;

namespace {

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

  void add_last_chunk(const std::vector<http::Header>& trailers) {
    if (!chunked_) return;
    last_chunk_ = "0\r\n";
    for (const http::Header& h : trailers) {
      last_chunk_.append(h.name).append(": ").append(h.value).append("\r\n");
    }
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


}  // namespace

template <class Parser>
asio::awaitable<RelayResult> relay_body(Parser& parser, RelaySource source, RelaySink sink,
                                        net::Watchdog& watchdog, uint64_t limit,
                                        std::vector<std::string_view>& pieces) {
  RelayResult result;
  Reframer out(sink.framing);
  for (;;) {
    // Decode what is buffered.
    pieces.clear();
    http::BodyResult parsed = parser.parse_body(source.buffer.readable(), pieces);
    if (parsed.error) {
      result.outcome = Outcome::bad_framing;
      result.error = parsed.error;
      co_return result;
    }
    for (std::string_view piece : pieces) result.bytes += piece.size();
    if (limit != 0 && result.bytes > limit) {
      result.outcome = Outcome::too_large;
      co_return result;
    }
    out.clear();
    out.add_prefix(sink.prefix);
    out.add(pieces);
    if (parsed.complete) out.add_last_chunk(parser.trailers());
    if (sink.stream != nullptr && !out.empty()) {
      watchdog.arm(*sink.stream, sink.write_timeout);
      net::IoResult written = co_await sink.stream->write(out.buffers());
      if (written.error) {
        result.outcome = Outcome::sink_failed;
        co_return result;
      }
      sink.prefix = {};
    }
    source.buffer.consume(parsed.consumed);
    if (parsed.complete) co_return result;
    source.buffer.compact_to(source.head_length);
    if (source.buffer.size() > max_unparsed) {
      result.outcome = Outcome::bad_framing;
      result.error = errors::bad_request("chunk header line too long");
      co_return result;
    }

    // Read more.
    size_t room = 0;
    char* into = source.buffer.prepare(read_window, room);
    watchdog.arm(source.stream, source.read_timeout);
    net::IoResult read = co_await source.stream.read_some(into, room);
    if (read.error) {
      if (watchdog.expired()) {
        result.outcome = Outcome::source_timeout;
        co_return result;
      }
      if constexpr (requires { parser.finish(); }) {
        if (read.error == asio::error::eof || read.error == asio::ssl::error::stream_truncated) {
          // A body delimited by the end of the connection ends here.
          http::BodyResult last = parser.finish();
          if (last.complete && !last.error) {
            out.clear();
            out.add_last_chunk(parser.trailers());
            if (sink.stream != nullptr && !out.empty()) {
              watchdog.arm(*sink.stream, sink.write_timeout);
              net::IoResult written = co_await sink.stream->write(out.buffers());
              if (written.error) result.outcome = Outcome::sink_failed;
            }
            co_return result;
          }
        }
      }
      result.outcome = Outcome::source_closed;
      co_return result;
    }
    source.buffer.commit(read.bytes);
  }
}

template asio::awaitable<RelayResult> relay_body(http::RequestParser&, RelaySource, RelaySink,
                                                 net::Watchdog&, uint64_t,
                                                 std::vector<std::string_view>&);
template asio::awaitable<RelayResult> relay_body(http::ResponseParser&, RelaySource, RelaySink,
                                                 net::Watchdog&, uint64_t,
                                                 std::vector<std::string_view>&);

}  // namespace gatehouse::proxy
