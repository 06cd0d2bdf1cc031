#include "net/stream.h"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <cerrno>

#include "net/as_result.h"

namespace gatehouse::net {

Stream::Stream(tcp::socket socket) : tcp_(std::move(socket)) {}

Stream::Stream(tcp::socket socket, asio::ssl::context& tls)
    : tcp_(socket.get_executor()),
      tls_(std::make_unique<asio::ssl::stream<tcp::socket>>(std::move(socket), tls)) {}

Stream::~Stream() = default;
Stream::Stream(Stream&&) noexcept = default;
Stream& Stream::operator=(Stream&&) noexcept = default;

asio::awaitable<error_code> Stream::handshake_server() {
  auto [error] = co_await tls_->async_handshake(asio::ssl::stream_base::server, as_result);
  co_return error;
}

asio::awaitable<error_code> Stream::handshake_client(const std::string& server_name, bool verify) {
  SSL* ssl = tls_->native_handle();
  boost::system::error_code ip_error;
  asio::ip::make_address(server_name, ip_error);
  if (ip_error) SSL_set_tlsext_host_name(ssl, server_name.c_str());  // SNI takes names only
  if (verify) {
    tls_->set_verify_mode(asio::ssl::verify_peer);
    tls_->set_verify_callback(asio::ssl::host_name_verification(server_name));
  } else {
    tls_->set_verify_mode(asio::ssl::verify_none);
  }
  auto [error] = co_await tls_->async_handshake(asio::ssl::stream_base::client, as_result);
  co_return error;
}

IoAwaitable Stream::read_some(char* data, size_t size) {
  auto buffer = asio::buffer(data, size);
  if (tls_) return tls_->async_read_some(buffer, as_result);
  return tcp_.async_read_some(buffer, as_result);
}

char* Stream::peek_byte() {
  thread_local char byte;
  return &byte;
}

IoAwaitable Stream::write(std::span<const asio::const_buffer> buffers) {
  if (tls_) return asio::async_write(*tls_, buffers, as_result);
  return asio::async_write(tcp_, buffers, as_result);
}

IoAwaitable Stream::write(asio::const_buffer buffer) {
  if (tls_) return asio::async_write(*tls_, buffer, as_result);
  return asio::async_write(tcp_, buffer, as_result);
}

bool Stream::peer_closed() {
  char byte;
  const ssize_t n = ::recv(socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return true;
  if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  return !tls_;  // unsolicited bytes on plain HTTP: the connection's framing cannot be trusted
}

void Stream::cancel() {
  error_code ignored;
  socket().cancel(ignored);
}

void Stream::close() {
  error_code ignored;
  socket().close(ignored);
}

void Stream::shutdown_send() {
  error_code ignored;
  socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void Stream::shutdown() {
  // Without TLS close_notify: waiting for the peer's reply could hang a worker on a misbehaving
  // client, and every message we send is framed, so a truncation is detectable without it.
  error_code ignored;
  socket().shutdown(tcp::socket::shutdown_send, ignored);
  socket().close(ignored);
}

void Stream::abort() {
  error_code ignored;
  socket().set_option(tcp::socket::linger(true, 0), ignored);
  socket().close(ignored);
}

}  // namespace gatehouse::net
