// A net::Stream whose other end the test plays, for unit tests of code that reads and writes
// streams (proxy/body_relay, the upstream side). The code under test gets a real net::Stream on
// one end of a Unix socket pair, so it runs on the same Asio operations as in production; the
// test holds the other end and decides, operation by operation, what each read returns and which
// read or write fails, and how. A Unix socket pair rather than a stream fake of our own, because
// net::Stream is a concrete class over a socket: no seam in src/ is needed, and nothing in the
// code under test can tell the difference. Unlike TCP, a Unix socket delivers a send to the other
// end before the send returns, so the runs are deterministic.
//
// The run alternates turns: settle() runs the io_context until the code under test waits on a
// peer (or a timer); then each peer takes one turn(): it records what the stream wrote and, once
// the stream has read everything it was given, gives it the next scripted chunk, or the scripted
// end. So each chunk is exactly what one read returns (the read window being larger), and the
// n-th read is the one after n-1 chunks: to fail it, script n-1 chunks and that failure as the
// end. A write is what the stream sent during one settle() (code that writes twice without
// waiting on a read in between counts as one).
//
// The failures are the kernel's own, the ones the code under test meets in production:
//   reads:  eof (the peer sent FIN), connection_reset (the peer closed with bytes unread), or
//           nothing more at all (the code's own timeout must end the wait);
//   writes: broken_pipe (the peer closed).
#pragma once

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/stream.h"

namespace gatehouse::test_support {

namespace asio = boost::asio;

class PeerStream {
 public:
  // What the stream's read after the last scripted chunk sees.
  enum class End {
    stay_open,  // nothing: the read waits until the code under test gives up
    eof,
    reset,  // connection_reset
  };

  explicit PeerStream(asio::io_context& io) : stream_(make_stream(io, peer_)) {}
  ~PeerStream() { close_peer(); }
  PeerStream(const PeerStream&) = delete;
  PeerStream& operator=(const PeerStream&) = delete;

  // The end the code under test uses.
  net::Stream& stream() { return stream_; }

  // --- scripting --------------------------------------------------------------------------------
  // The stream's reads return these chunks in order, one per read, then see `end`.
  void script_reads(std::vector<std::string> chunks, End end) {
    chunks_ = std::move(chunks);
    next_chunk_ = 0;
    end_ = end;
    ended_ = false;
  }
  // The n-th write (from 1) fails with broken_pipe, and so does every write after it.
  void fail_write(size_t n) {
    fail_write_ = n;
    if (n == 1) stop_reading();
  }

  // --- what the stream wrote --------------------------------------------------------------------
  const std::string& received() const { return received_; }
  size_t writes() const { return writes_; }
  // Chunks the stream has been given (whether or not it read them yet).
  size_t chunks_given() const { return next_chunk_; }

  // One turn of the peer (see the file comment). Returns whether the peer did anything: took
  // bytes, gave a chunk or ended.
  bool turn() {
    bool acted = collect();
    if (fail_write_ != 0 && writes_ + 1 >= fail_write_ && peer_ >= 0) {
      stop_reading();
      acted = true;
    }
    if (unread() != 0 || ended_ || peer_ < 0) return acted;
    if (next_chunk_ < chunks_.size()) {
      send(chunks_[next_chunk_++]);
      return true;
    }
    ended_ = true;
    switch (end_) {
      case End::stay_open:
        return acted;
      case End::eof:
        ::shutdown(peer_, SHUT_WR);
        return true;
      case End::reset:
        reset();
        return true;
    }
    return acted;
  }

  // --- immediate actions ------------------------------------------------------------------------
  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(peer_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("peer send failed: the stream's buffer is full");
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // The stream's next read fails with connection_reset: a Unix socket closed with bytes it has
  // not read resets its peer, so the peer takes a byte from the stream's side first.
  void reset() {
    const char byte = 0;
    ::send(stream_.socket().native_handle(), &byte, 1, MSG_NOSIGNAL);
    close_peer();
  }
  // The peer reads no more: the stream's next write fails with broken_pipe.
  void stop_reading() {
    collect();
    close_peer();
  }

  // Bytes given to the stream that it has not read yet.
  size_t unread() {
    int n = 0;
    if (::ioctl(stream_.socket().native_handle(), FIONREAD, &n) != 0) return 0;
    return static_cast<size_t>(n);
  }

 private:
  static net::Stream make_stream(asio::io_context& io, int& peer) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) {
      throw std::runtime_error("socketpair failed");
    }
    peer = fds[1];
    net::tcp::socket socket(io);
    socket.assign(net::tcp::v4(), fds[0]);
    return net::Stream(std::move(socket));
  }

  // Takes what the stream wrote; returns whether there was anything.
  bool collect() {
    if (peer_ < 0) return false;
    bool any = false;
    char block[16 * 1024];
    for (;;) {
      const ssize_t n = ::recv(peer_, block, sizeof block, 0);
      if (n <= 0) break;
      received_.append(block, static_cast<size_t>(n));
      any = true;
    }
    if (any) ++writes_;
    return any;
  }

  void close_peer() {
    if (peer_ >= 0) ::close(peer_);
    peer_ = -1;
  }

  int peer_ = -1;
  net::Stream stream_;
  std::vector<std::string> chunks_;
  size_t next_chunk_ = 0;
  End end_ = End::stay_open;
  bool ended_ = true;  // nothing scripted: the stream's reads wait
  size_t fail_write_ = 0;
  std::string received_;
  size_t writes_ = 0;
};

// Runs `io` until nothing is ready: the code under test has finished, or waits on a peer or a
// timer.
inline void settle(asio::io_context& io) {
  io.restart();
  io.poll();
}

// Alternates settle() and the peers' turns until `done()`. When no peer has anything left to do,
// time runs (the code under test may be waiting for its own timeout) for up to `patience`.
// Returns whether `done()` became true.
inline bool play(asio::io_context& io, std::initializer_list<PeerStream*> peers,
                 const std::function<bool()>& done,
                 std::chrono::milliseconds patience = std::chrono::seconds(5)) {
  settle(io);
  while (!done()) {
    bool acted = false;
    for (PeerStream* peer : peers) acted = peer->turn() || acted;
    if (!acted) {
      io.restart();
      if (io.run_one_for(patience) == 0) return done();
    }
    settle(io);
  }
  for (PeerStream* peer : peers) peer->turn();  // what the last round wrote
  return true;
}

}  // namespace gatehouse::test_support
