#include "test_server.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace gatehouse::outbound::fixtures {

HttpResponse text_response(http::status status, std::string body, std::string content_type) {
  HttpResponse response{status, 11};
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpServer::HttpServer(asio::io_context& io, Handler handler, asio::ssl::context* tls)
    : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      handler_(std::move(handler)),
      tls_(tls) {
  asio::co_spawn(io, accept_loop(), asio::detached);
}

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    auto [error, socket] = co_await acceptor_.async_accept(as_result);
    if (error) co_return;
    asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
  if (!tls_) {
    co_await exchange(socket);
    co_return;
  }
  asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
  auto [error] = co_await stream.async_handshake(asio::ssl::stream_base::server, as_result);
  if (error) co_return;  // the client refused us: nothing to answer
  const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
  sni_names.emplace_back(name ? name : "");
  co_await exchange(stream);
}

template <class Stream>
asio::awaitable<void> HttpServer::exchange(Stream& stream) {
  boost::beast::flat_buffer buffer;
  HttpRequest request;
  auto [read_error, n] = co_await http::async_read(stream, buffer, request, as_result);
  if (read_error) co_return;
  requests.push_back(request);
  HttpResponse response = handler_(request);
  co_await http::async_write(stream, response, as_result);
}

SilentServer::SilentServer(asio::io_context& io)
    : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  asio::co_spawn(io, accept_loop(), asio::detached);
}

asio::awaitable<void> SilentServer::accept_loop() {
  for (;;) {
    auto [error, socket] = co_await acceptor_.async_accept(as_result);
    if (error) co_return;
    held_.push_back(std::move(socket));
  }
}

}  // namespace gatehouse::outbound::fixtures
