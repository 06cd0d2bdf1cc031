// Stream::write on plain TCP writes all of its buffers, in order, however little the socket takes
// at a time, and completes through the io_context even when the socket takes everything at once.
// These tests make the socket refuse part of a write and check that every byte still arrives, in
// order; that a small write is on the wire at once but its caller resumes only after the work
// queued before its completion; and that a closed peer is an error rather than a signal.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <string>

#include "net/stream.h"

namespace gatehouse::net {
namespace {

struct ConnectedPair {
  tcp::socket writer;
  tcp::socket reader;
};

ConnectedPair connect_pair(asio::io_context& io) {
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket writer(io);
  writer.connect(acceptor.local_endpoint());
  tcp::socket reader = acceptor.accept();
  return {std::move(writer), std::move(reader)};
}

std::string pattern(size_t size, char seed) {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>(seed + i % 61);
  return text;
}

TEST(StreamWrite, MoreThanTheSocketTakesArrivesWholeAndInOrder) {
  asio::io_context io;
  ConnectedPair pair = connect_pair(io);
  // Small kernel buffers: the first send takes a part only, the rest must wait for the reader.
  pair.writer.set_option(asio::socket_base::send_buffer_size(16 * 1024));
  pair.reader.set_option(asio::socket_base::receive_buffer_size(16 * 1024));
  Stream stream(std::move(pair.writer));

  const std::array<std::string, 3> parts = {pattern(700'000, 'a'), pattern(1, 'x'),
                                            pattern(1'300'000, 'A')};
  const std::array<asio::const_buffer, 3> buffers = {asio::buffer(parts[0]), asio::buffer(parts[1]),
                                                     asio::buffer(parts[2])};
  const size_t total = parts[0].size() + parts[1].size() + parts[2].size();

  IoResult written;
  bool write_done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        written = co_await stream.write(std::span<const asio::const_buffer>(buffers));
        write_done = true;
      },
      asio::detached);

  std::string received(total, '\0');
  size_t received_bytes = 0;
  bool write_waited_for_reader = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::use_awaitable);
        write_waited_for_reader = !write_done;
        received_bytes =
            co_await asio::async_read(pair.reader, asio::buffer(received), asio::use_awaitable);
      },
      asio::detached);
  io.run();

  EXPECT_TRUE(write_waited_for_reader);
  EXPECT_FALSE(written.error) << written.error.message();
  EXPECT_EQ(written.bytes, total);
  ASSERT_EQ(received_bytes, total);
  EXPECT_EQ(received, parts[0] + parts[1] + parts[2]);
}

// A write the socket takes whole is sent when it is started, yet its caller resumes only through
// the io_context, after the work already queued there: the read a session issues after a write
// then finds its answer more often (docs/architecture.md, "Writes go through Asio's reactor").
TEST(StreamWrite, WriteThatFitsIsSentAtOnceButCompletesThroughTheIoContext) {
  asio::io_context io;
  ConnectedPair pair = connect_pair(io);
  Stream stream(std::move(pair.writer));
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

  IoResult written;
  bool write_done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        written = co_await stream.write(asio::buffer(head));
        write_done = true;
      },
      asio::detached);
  // Queued behind the writer's start: runs after the write was started, before it completes.
  size_t at_peer_meanwhile = 0;
  bool done_meanwhile = true;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        at_peer_meanwhile = pair.reader.available();
        done_meanwhile = write_done;
        co_return;
      },
      asio::detached);
  io.run();

  EXPECT_EQ(at_peer_meanwhile, head.size());
  EXPECT_FALSE(done_meanwhile);
  EXPECT_FALSE(written.error) << written.error.message();
  EXPECT_EQ(written.bytes, head.size());
  std::string received(head.size(), '\0');
  asio::read(pair.reader, asio::buffer(received));
  EXPECT_EQ(received, head);
}

TEST(StreamWrite, PeerThatClosedIsAnErrorNotASignal) {
  asio::io_context io;
  ConnectedPair pair = connect_pair(io);
  Stream stream(std::move(pair.writer));
  // Unread data makes close() send a reset: the writes below then fail (EPIPE or ECONNRESET).
  const std::string unread = "unread";
  stream.socket().send(asio::buffer(unread));
  pair.reader.set_option(asio::socket_base::linger(true, 0));
  pair.reader.close();

  const std::string body = pattern(64 * 1024, 'q');
  IoResult last;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 3 && !last.error; ++i) last = co_await stream.write(asio::buffer(body));
      },
      asio::detached);
  io.run();

  EXPECT_TRUE(last.error);
}

}  // namespace
}  // namespace gatehouse::net
