// A byte stream that is either plain TCP or TLS over TCP, so that the HTTP code above is written
// once. Every operation reports errors as values (no exceptions on the data plane).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <tuple>

#include "net/exact_allocation.h"

namespace gatehouse::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

struct IoResult {
  IoResult() = default;
  // What an Asio operation completes with under as_tuple: awaited as it is, with no coroutine
  // of ours around it (a frame and a resumption per I/O saved).
  IoResult(std::tuple<error_code, size_t> completion)  // NOLINT(google-explicit-constructor)
      : error(std::get<0>(completion)), bytes(std::get<1>(completion)) {}

  error_code error;
  size_t bytes = 0;
};

// The operations below are awaited as `IoResult r = co_await stream.read_some(...)`.
using IoAwaitable = asio::awaitable<std::tuple<error_code, size_t>>;

class Stream {
 public:
  explicit Stream(tcp::socket socket);
  // TLS over `socket`; the handshake is done by handshake_server() or handshake_client().
  Stream(tcp::socket socket, asio::ssl::context& tls);
  ~Stream();
  Stream(Stream&&) noexcept;
  Stream& operator=(Stream&&) noexcept;

  bool is_tls() const { return tls_ != nullptr; }
  tcp::socket& socket() { return tls_ ? tls_->next_layer() : tcp_; }
  SSL* native_tls() { return tls_ ? tls_->native_handle() : nullptr; }

  asio::awaitable<error_code> handshake_server();
  // `server_name` is sent as SNI and, when `verify` is set, checked against the certificate.
  asio::awaitable<error_code> handshake_client(const std::string& server_name, bool verify);

  IoAwaitable read_some(char* data, size_t size);
  // Calls `handler(error_code, size_t)` once the socket has bytes to read, holding no buffer
  // meanwhile; consumes nothing. The error is eof if the peer closed instead. A callback, not a
  // coroutine: an idle connection waiting here holds no coroutine frame.
  // Plain TCP only: a TLS stream may hold decrypted bytes the socket no longer shows.
  template <typename Handler>
  void wait_readable(Handler&& handler) {
    // A one-byte peek rather than async_wait(wait_read): Asio's reactor re-arms the descriptor
    // (an epoll_ctl syscall) for every async_wait, while a receive waits on the registration the
    // socket has had since its first operation.
    tcp_.async_receive(asio::buffer(peek_byte(), 1), tcp::socket::message_peek,
                       with_exact_allocation(std::forward<Handler>(handler)));
  }
  // Writes all of the buffers, in order. What the socket takes at once is sent when the write
  // starts, but the caller resumes only through the io_context, after the work queued before
  // (docs/architecture.md says why).
  IoAwaitable write(std::span<const asio::const_buffer> buffers);
  IoAwaitable write(asio::const_buffer buffer);

  // For an idle pooled connection: true if the peer has closed it (or it is otherwise unusable),
  // found without blocking. Pending TLS records (a session ticket) do not count as closed.
  bool peer_closed();

  // Cancels the pending operation (used by timeouts); the stream stays usable for a close.
  void cancel();
  // Closes without a TLS close_notify (the peer is gone or misbehaving).
  void close();
  // A polite end: FIN after the data already written, then close.
  void shutdown();
  // An abrupt end: a TCP reset, so that the peer sees the message it was receiving break off,
  // even one whose end the connection's close would otherwise mark (HTTP/1.0, no length).
  void abort();
  // FIN after the data already written; reading goes on.
  void shutdown_send();

 private:
  // Where a peek copies its byte, which nobody reads; per thread, as it must outlive the wait.
  static char* peek_byte();

  tcp::socket tcp_;
  std::unique_ptr<asio::ssl::stream<tcp::socket>> tls_;
};

}  // namespace gatehouse::net
