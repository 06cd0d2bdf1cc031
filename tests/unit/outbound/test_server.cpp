#include "test_server.h"

#include <openssl/ssl.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <charconv>

#include "net/stream.h"

namespace gatehouse::outbound::fixtures {
namespace {

// Reads one request with Beast's parser, fed here rather than by http::async_read: its composed
// operations, and http::async_write's, instantiated for the plain and the TLS stream, took most of
// this file's compile time (as in admin/admin_server.cpp).
asio::awaitable<std::optional<HttpRequest>> read_request(net::Stream& stream) {
  http::request_parser<http::string_body> parser;
  boost::beast::flat_buffer buffer;
  for (;;) {
    const auto space = buffer.prepare(4096);
    const net::IoResult read =
        co_await stream.read_some(static_cast<char*>(space.data()), space.size());
    if (read.error) co_return std::nullopt;
    buffer.commit(read.bytes);
    while (buffer.size() != 0 && !parser.is_done()) {
      boost::system::error_code error;
      const size_t used = parser.put(buffer.data(), error);
      buffer.consume(used);
      if (error == http::error::need_more || (!error && used == 0)) break;
      if (error) co_return std::nullopt;
    }
    if (parser.is_done()) co_return parser.release();
  }
}

// The response's bytes, its body as one chunk when it is chunked. Written out here, as the
// parser is fed above: Beast's serializer instantiates as much as its composed operations.
std::string response_text(const HttpResponse& response) {
  std::string text = "HTTP/" + std::to_string(response.version() / 10) + "." +
                     std::to_string(response.version() % 10) + " " +
                     std::to_string(response.result_int()) + " ";
  text.append(response.reason()).append("\r\n");
  for (const auto& field : response) {
    text.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  text.append("\r\n");
  const std::string& body = response.body();
  if (!response.chunked()) return text.append(body);
  if (!body.empty()) {
    char size[20];
    text.append(size, std::to_chars(size, size + sizeof size, body.size(), 16).ptr);
    text.append("\r\n").append(body).append("\r\n");
  }
  return text.append("0\r\n\r\n");
}

}  // namespace

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
    net::Stream stream(std::move(socket));
    co_await exchange(stream);
    co_return;
  }
  net::Stream stream(std::move(socket), *tls_);
  if (co_await stream.handshake_server()) co_return;  // the client refused us: nothing to answer
  const char* name = SSL_get_servername(stream.native_tls(), TLSEXT_NAMETYPE_host_name);
  sni_names.emplace_back(name ? name : "");
  co_await exchange(stream);
}

asio::awaitable<void> HttpServer::exchange(net::Stream& stream) {
  std::optional<HttpRequest> request = co_await read_request(stream);
  if (!request) co_return;
  requests.push_back(*request);
  const std::string response = response_text(handler_(*request));
  co_await stream.write(asio::buffer(response));
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
