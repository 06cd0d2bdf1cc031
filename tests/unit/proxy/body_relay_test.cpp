// relay_body: a message body passes from one connection to the other whole, however the reads
// split it, and a body that fails (cut short, reset, too slow, too large, badly framed, or a
// destination that stops taking it) is reported as such and never passed on as if whole. Each
// split test runs the relay once per way of cutting the body into the bytes that came with the
// head and two reads; each failure test fails every read or write in turn.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/watchdog.h"
#include "proxy/body_relay.h"
#include "proxy/forwarding.h"
#include "support/peer_stream.h"

namespace gatehouse::proxy {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using test_support::PeerStream;
using End = PeerStream::End;
using http::BodyFraming;

// Stands for the message head written on, which leaves in the same write as the first body bytes.
const std::string kPrefix = "HEAD\r\n\r\n";
// A pipelined request after the body: it belongs to the next exchange, never to this body.
const std::string kNext = "GET /next HTTP/1.1\r\nHost: gw\r\n\r\n";

// One relay: the message as it arrives, and what the destination does.
struct RelayRun {
  std::string head;                // request head, or response head when `response`
  bool response = false;           // the message is a response to a GET
  std::string with_head;           // body bytes that arrived in the same read as the head
  std::vector<std::string> reads;  // the rest, one read each
  End end = End::stay_open;        // what the read after them sees
  BodyFraming to = BodyFraming::content_length;  // the framing toward the destination
  bool discard = false;                          // no destination: read and drop
  size_t fail_write = 0;  // the destination fails this write (from 1); 0: none
  uint64_t limit = 0;
  milliseconds read_timeout{2'000};
};

struct Relayed {
  bool finished = false;
  RelayResult result;
  std::string forwarded;       // what the destination received
  size_t reads_given = 0;      // scripted reads the relay took
  std::string left_in_buffer;  // the source's buffer after the relay: the next message's bytes
};

template <class Parser>
Relayed relay_with(Parser& parser, const RelayRun& run) {
  asio::io_context io;
  PeerStream source(io);
  PeerStream sink(io);
  source.script_reads(run.reads, run.end);
  if (run.fail_write != 0) sink.fail_write(run.fail_write);

  // The source's buffer as the session leaves it: the head parsed, and consumed.
  net::ByteBuffer buffer(4096);
  const std::string arrived = run.head + run.with_head;
  size_t room = 0;
  char* into = buffer.prepare(arrived.size(), room);
  std::memcpy(into, arrived.data(), arrived.size());
  buffer.commit(arrived.size());
  std::conditional_t<std::is_same_v<Parser, http::RequestParser>, http::RequestHead,
                     http::ResponseHead>
      head;
  http::HeadResult parsed = parser.parse_head(buffer.readable(), head);
  EXPECT_EQ(parsed.status, http::ParseStatus::done);
  EXPECT_EQ(parsed.consumed, run.head.size());
  buffer.reserve(parsed.consumed + body_buffer_room);
  parser.parse_head(buffer.readable(), head);  // again, where the head now is
  buffer.consume(parsed.consumed);

  const http::HeaderEdits no_edits;
  const TrailerFilter trailers(head.headers, no_edits, nullptr);
  net::Watchdog watchdog(io.get_executor());
  std::vector<std::string_view> pieces;
  Relayed relayed;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        relayed.result = co_await relay_body(
            parser,
            RelaySource{source.stream(), buffer, parsed.consumed, run.read_timeout,
                        run.response ? ErrorSource::backend : ErrorSource::client},
            RelaySink{run.discard ? nullptr : &sink.stream(),
                      run.response ? ErrorSource::client : ErrorSource::backend, run.to,
                      milliseconds(2'000), asio::buffer(kPrefix), &trailers},
            watchdog, run.limit, pieces);
        relayed.finished = true;
      },
      asio::detached);
  test_support::play(io, {&source, &sink}, [&] { return relayed.finished; });
  watchdog.stop();
  relayed.forwarded = sink.received();
  relayed.reads_given = source.chunks_given() - (source.unread() != 0 ? 1 : 0);
  relayed.left_in_buffer = std::string(buffer.readable());
  return relayed;
}

// How a relay ended, from its error: whose side failed and how ("client timed out").
std::string ended(const RelayResult& result) {
  if (!result.error) return "complete";
  return std::string(to_string(result.error->source())) + " " +
         std::string(to_string(result.error->kind()));
}

Relayed relay(const RelayRun& run) {
  if (run.response) {
    http::ResponseParser parser(http::ParserLimits{}, "GET");
    return relay_with(parser, run);
  }
  http::RequestParser parser(http::ParserLimits{});
  return relay_with(parser, run);
}

// `body` cut into the bytes that came with the head and two reads, at every pair of points.
// `then` follows the body in the same read as its last byte.
template <class Check>
void for_every_split(RelayRun run, std::string_view body, std::string_view then, Check check) {
  for (size_t i = 0; i <= body.size(); ++i) {
    for (size_t j = i; j <= body.size(); ++j) {
      std::string parts[3] = {std::string(body.substr(0, i)), std::string(body.substr(i, j - i)),
                              std::string(body.substr(j))};
      for (int last = 2; last >= 0; --last) {
        if (!parts[last].empty() || last == 0) {
          parts[last] += then;
          break;
        }
      }
      run.with_head = parts[0];
      run.reads.clear();
      for (int k = 1; k < 3; ++k) {
        if (!parts[k].empty()) run.reads.push_back(parts[k]);
      }
      SCOPED_TRACE("split at " + std::to_string(i) + " and " + std::to_string(j));
      check(relay(run));
      if (::testing::Test::HasFailure()) return;  // one failing split says enough
    }
  }
}

// A chunked body decoded by this test, independently of the parser under test.
struct Dechunked {
  bool ended = false;  // a last chunk and the end of the trailer section were seen
  bool valid = true;
  std::string payload;
  std::string trailers;  // the trailer lines, as sent
  size_t chunks = 0;     // data chunks
  std::string after;     // bytes after the end
};

Dechunked dechunk(std::string_view wire) {
  Dechunked out;
  for (;;) {
    const size_t line_end = wire.find("\r\n");
    if (line_end == std::string_view::npos) return out;  // cut short
    const std::string size_text(wire.substr(0, line_end));
    if (size_text.empty() ||
        size_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      out.valid = false;
      return out;
    }
    const size_t size = std::stoul(size_text, nullptr, 16);
    wire.remove_prefix(line_end + 2);
    if (size == 0) break;
    if (wire.size() < size + 2) return out;
    out.payload.append(wire.substr(0, size));
    ++out.chunks;
    if (wire.substr(size, 2) != "\r\n") {
      out.valid = false;
      return out;
    }
    wire.remove_prefix(size + 2);
  }
  for (;;) {
    const size_t line_end = wire.find("\r\n");
    if (line_end == std::string_view::npos) return out;
    if (line_end == 0) {
      out.ended = true;
      out.after = std::string(wire.substr(2));
      return out;
    }
    out.trailers.append(wire.substr(0, line_end + 2));
    wire.remove_prefix(line_end + 2);
  }
}

// The destination's bytes after the prefix, which must come first.
std::string after_prefix(const Relayed& relayed) {
  EXPECT_EQ(relayed.forwarded.substr(0, kPrefix.size()), kPrefix);
  return relayed.forwarded.size() < kPrefix.size() ? "" : relayed.forwarded.substr(kPrefix.size());
}

const std::string kPayload = "The quick brown fox jumps over the lazy dog";

std::string content_length_head() {
  return "POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Length: " + std::to_string(kPayload.size()) +
         "\r\n\r\n";
}

const std::string kChunkedHead =
    "POST /upload HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n";
// kPayload in three chunks, one with an extension, and trailers: one that goes on and one that
// RFC 9110 6.5.1 keeps out of trailers.
const std::string kChunkedBody =
    "4\r\nThe \r\n"
    "10;name=value\r\nquick brown fox \r\n"
    "17\r\njumps over the lazy dog\r\n"
    "0\r\nX-Checksum: 1234\r\nCookie: c=1\r\n\r\n";

// --- whole bodies -----------------------------------------------------------------------------

TEST(RelayBody, ContentLengthBodyPassesAsItIsWhereverTheReadsSplitIt) {
  RelayRun run;
  run.head = content_length_head();
  for_every_split(run, kPayload, kNext, [](const Relayed& relayed) {
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "complete");
    EXPECT_EQ(relayed.forwarded, kPrefix + kPayload);
    EXPECT_EQ(relayed.result.bytes, kPayload.size());
    EXPECT_TRUE(relayed.result.sink_written);
    EXPECT_EQ(relayed.left_in_buffer, kNext);
  });
}

TEST(RelayBody, ChunkedBodyIsReframedWholeWhereverTheReadsSplitIt) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  for_every_split(run, kChunkedBody, kNext, [](const Relayed& relayed) {
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "complete");
    EXPECT_EQ(relayed.result.bytes, kPayload.size());
    const Dechunked sent = dechunk(after_prefix(relayed));
    EXPECT_TRUE(sent.valid);
    EXPECT_TRUE(sent.ended);
    EXPECT_EQ(sent.payload, kPayload);
    EXPECT_EQ(sent.trailers, "X-Checksum: 1234\r\n");  // Cookie stays behind
    EXPECT_EQ(sent.after, "");
    EXPECT_LE(sent.chunks, 3u);  // one chunk per read at most: no empty chunk, no byte-by-byte
    EXPECT_EQ(relayed.left_in_buffer, kNext);
  });
}

TEST(RelayBody, ChunkedBodyByteByByteArrivesWhole) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  for (char c : kChunkedBody) run.reads.emplace_back(1, c);
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "complete");
  const Dechunked sent = dechunk(after_prefix(relayed));
  EXPECT_TRUE(sent.ended);
  EXPECT_EQ(sent.payload, kPayload);
  // The data goes on as it comes, in one chunk per read that carried some (the parser waits for
  // a few bytes after a chunk-size line before it decodes, so the first bytes may come together).
  EXPECT_GE(sent.chunks, kPayload.size() - 2);
}

TEST(RelayBody, BodyLargerThanTheReadWindowPassesWhole) {
  std::string payload(3 * read_window + 123, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
  RelayRun run;
  run.head = "PUT /big HTTP/1.1\r\nHost: gw\r\nContent-Length: " + std::to_string(payload.size()) +
             "\r\n\r\n";
  run.reads = {payload.substr(0, 100), payload.substr(100)};  // the second fills several windows
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "complete");
  EXPECT_EQ(relayed.forwarded, kPrefix + payload);
}

TEST(RelayBody, CloseDelimitedResponseIsSentChunkedAndEndsAtTheBackendsClose) {
  RelayRun run;
  run.head = "HTTP/1.0 200 OK\r\n\r\n";
  run.response = true;
  run.to = BodyFraming::chunked;
  run.end = End::eof;
  for_every_split(run, kPayload, "", [](const Relayed& relayed) {
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "complete");
    const Dechunked sent = dechunk(after_prefix(relayed));
    EXPECT_TRUE(sent.ended);
    EXPECT_EQ(sent.payload, kPayload);
    EXPECT_EQ(sent.trailers, "");
  });
}

TEST(RelayBody, ContentLengthBodyWholeWithTheHeadIsNotReadFor) {
  RelayRun run;
  run.head = content_length_head();
  run.with_head = kPayload + kNext;
  run.reads = {"more bytes the relay must not wait for"};
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "complete");
  EXPECT_EQ(relayed.forwarded, kPrefix + kPayload);
  EXPECT_EQ(relayed.reads_given, 0u);
  EXPECT_EQ(relayed.left_in_buffer, kNext);
}

TEST(RelayBody, WithoutADestinationTheBodyIsReadToItsEndAndDropped) {
  RelayRun run;
  run.head = kChunkedHead;
  run.discard = true;
  for_every_split(run, kChunkedBody, kNext, [](const Relayed& relayed) {
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "complete");
    EXPECT_EQ(relayed.result.bytes, kPayload.size());
    EXPECT_FALSE(relayed.result.sink_written);
    EXPECT_EQ(relayed.forwarded, "");
    EXPECT_EQ(relayed.left_in_buffer, kNext);
  });
}

// --- bodies that fail ---------------------------------------------------------------------------

TEST(RelayBody, ContentLengthBodyCutShortAtAnyByteIsNotComplete) {
  for (End end : {End::eof, End::reset}) {
    for (size_t cut = 0; cut < kPayload.size(); ++cut) {
      SCOPED_TRACE("cut at " + std::to_string(cut) + (end == End::eof ? " by eof" : " by reset"));
      RelayRun run;
      run.head = content_length_head();
      if (cut > 0) run.reads = {kPayload.substr(0, cut)};
      run.end = end;
      const Relayed relayed = relay(run);
      ASSERT_TRUE(relayed.finished);
      EXPECT_EQ(ended(relayed.result), "client connection closed");
      EXPECT_EQ(relayed.result.bytes, cut);
      // What did arrive was passed on; the caller then breaks the destination's connection.
      EXPECT_EQ(relayed.forwarded, kPrefix + kPayload.substr(0, cut));
    }
  }
}

TEST(RelayBody, ChunkedBodyCutShortAtAnyByteNeverGetsItsLastChunk) {
  for (End end : {End::eof, End::reset}) {
    for (size_t cut = 0; cut < kChunkedBody.size(); ++cut) {
      SCOPED_TRACE("cut at " + std::to_string(cut) + (end == End::eof ? " by eof" : " by reset"));
      RelayRun run;
      run.head = kChunkedHead;
      run.to = BodyFraming::chunked;
      if (cut > 0) run.reads = {kChunkedBody.substr(0, cut)};
      run.end = end;
      const Relayed relayed = relay(run);
      ASSERT_TRUE(relayed.finished);
      EXPECT_EQ(ended(relayed.result), "client connection closed");
      const Dechunked sent = dechunk(after_prefix(relayed));
      EXPECT_TRUE(sent.valid);
      EXPECT_FALSE(sent.ended);  // the destination can tell the body is incomplete
      EXPECT_EQ(sent.payload, kPayload.substr(0, sent.payload.size()));
    }
  }
}

TEST(RelayBody, CloseDelimitedResponseResetByTheBackendIsNotComplete) {
  RelayRun run;
  run.head = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
  run.response = true;
  run.to = BodyFraming::chunked;
  run.reads = {kPayload.substr(0, 10), kPayload.substr(10)};
  run.end = End::reset;
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "backend connection closed");
  const Dechunked sent = dechunk(after_prefix(relayed));
  EXPECT_EQ(sent.payload, kPayload);
  EXPECT_FALSE(sent.ended);
}

TEST(RelayBody, FailingTheNthReadOfAChunkedBodyEndsTheRelayThere) {
  // The body in four reads; the n-th read fails instead (a reset), for every n.
  const std::vector<std::string> reads = {kChunkedBody.substr(0, 9), kChunkedBody.substr(9, 20),
                                          kChunkedBody.substr(29, 30), kChunkedBody.substr(59)};
  for (size_t n = 1; n <= reads.size(); ++n) {
    SCOPED_TRACE("read " + std::to_string(n) + " fails");
    RelayRun run;
    run.head = kChunkedHead;
    run.to = BodyFraming::chunked;
    run.reads.assign(reads.begin(), reads.begin() + static_cast<std::ptrdiff_t>(n - 1));
    run.end = End::reset;
    const Relayed relayed = relay(run);
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "client connection closed");
    EXPECT_EQ(relayed.reads_given, n - 1);
    EXPECT_FALSE(dechunk(after_prefix(relayed)).ended);
  }
}

TEST(RelayBody, FailingTheNthWriteStopsTheRelayAndReadsNoFurther) {
  // The prefix goes in the first write (nothing of the body came with the head), then one write
  // per read: five writes in all. Each fails in turn.
  const std::vector<std::string> reads = {kPayload.substr(0, 5), kPayload.substr(5, 10),
                                          kPayload.substr(15, 20), kPayload.substr(35)};
  const std::vector<std::string> writes = {kPrefix, reads[0], reads[1], reads[2], reads[3]};
  for (size_t n = 1; n <= writes.size(); ++n) {
    SCOPED_TRACE("write " + std::to_string(n) + " fails");
    RelayRun run;
    run.head = content_length_head();
    run.reads = reads;
    run.fail_write = n;
    const Relayed relayed = relay(run);
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "backend connection closed");
    EXPECT_TRUE(relayed.result.sink_written);
    std::string delivered;
    for (size_t i = 0; i + 1 < n; ++i) delivered += writes[i];
    EXPECT_EQ(relayed.forwarded, delivered);
    EXPECT_EQ(relayed.reads_given, n - 1);
  }
}

TEST(RelayBody, FailingTheWriteOfTheLastChunkIsAFailureNotACompleteBody) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  run.reads = {kChunkedBody.substr(0, kChunkedBody.size() - 5),
               kChunkedBody.substr(kChunkedBody.size() - 5)};
  run.fail_write = 3;  // prefix, most of the body, then the last chunk with the trailers
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "backend connection closed");
  EXPECT_FALSE(dechunk(after_prefix(relayed)).ended);
}

TEST(RelayBody, ASourceThatGoesQuietTimesOut) {
  RelayRun run;
  run.head = content_length_head();
  run.reads = {kPayload.substr(0, 7)};
  run.end = End::stay_open;
  run.read_timeout = milliseconds(20);
  const auto started = std::chrono::steady_clock::now();
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "client timed out");
  EXPECT_EQ(relayed.result.error->status(), 408);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(20));
  EXPECT_EQ(relayed.forwarded, kPrefix + kPayload.substr(0, 7));
}

TEST(RelayBody, ABodyOverTheLimitIsRefusedWhereverItIsSplit) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  run.limit = kPayload.size() - 1;
  for_every_split(run, kChunkedBody, "", [](const Relayed& relayed) {
    ASSERT_TRUE(relayed.finished);
    EXPECT_EQ(ended(relayed.result), "client too large");
    EXPECT_EQ(relayed.result.error->status(), 413);
    // Refused before anything was written when the excess came with the first bytes: then the
    // caller can still answer 413.
    EXPECT_EQ(relayed.result.sink_written, !relayed.forwarded.empty());
    if (relayed.result.sink_written) {
      EXPECT_FALSE(dechunk(after_prefix(relayed)).ended);
    }
  });
}

TEST(RelayBody, ABodyOfExactlyTheLimitPasses) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  run.limit = kPayload.size();
  run.reads = {kChunkedBody};
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "complete");
}

TEST(RelayBody, BadChunkFramingIsAClientErrorAndEndsTheBody) {
  RelayRun run;
  run.head = kChunkedHead;
  run.to = BodyFraming::chunked;
  run.reads = {"4\r\nThe \r\nzz\r\nquick\r\n0\r\n\r\n"};
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "client bad request");
  EXPECT_EQ(relayed.result.error->status(), 400);
  EXPECT_FALSE(dechunk(after_prefix(relayed)).ended);
}

TEST(RelayBody, BadChunkFramingFromABackendIsABadGateway) {
  RelayRun run;
  run.head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  run.response = true;
  run.to = BodyFraming::chunked;
  run.reads = {"4\r\nThe X\r\n0\r\n\r\n"};
  const Relayed relayed = relay(run);
  ASSERT_TRUE(relayed.finished);
  EXPECT_EQ(ended(relayed.result), "backend invalid response");
  EXPECT_EQ(relayed.result.error->status(), 502);
}

}  // namespace
}  // namespace gatehouse::proxy
