// Real servers on 127.0.0.1 for the outbound client's tests, served by the test's own
// io_context: an HTTP server (Beast's parser, over net::Stream, optionally TLS) whose answer a test
// chooses, and a server that accepts connections and never answers.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::net {
class Stream;
}

namespace gatehouse::outbound::fixtures {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;
using Handler = std::function<HttpResponse(const HttpRequest&)>;

inline constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// Runs `operation` on `io` until it completes (the servers keep the context busy, so run() would
// not return); fails the test if that takes longer than `limit`.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> operation,
      std::chrono::seconds limit = std::chrono::seconds(20)) {
  std::optional<T> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result.emplace(co_await std::move(operation)); },
      asio::detached);
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!result && std::chrono::steady_clock::now() < give_up) io.run_one_for(limit);
  if (!result) throw std::runtime_error("operation did not complete");
  io.restart();
  return std::move(*result);
}

HttpResponse text_response(http::status status, std::string body,
                           std::string content_type = "text/plain");

// Answers each connection's one request with `handler`, over TLS when given a context. Its
// coroutines are compiled once, in test_server.cpp, not in every test that uses it.
class HttpServer {
 public:
  HttpServer(asio::io_context& io, Handler handler, asio::ssl::context* tls = nullptr);

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return (tls_ ? "https://" : "http://") + host + ":" + std::to_string(port()) + path;
  }

  std::vector<HttpRequest> requests;   // as received, in order
  std::vector<std::string> sni_names;  // TLS server names sent by clients, "" when none

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(tcp::socket socket);
  asio::awaitable<void> exchange(net::Stream& stream);

  tcp::acceptor acceptor_;
  Handler handler_;
  asio::ssl::context* tls_;
};

// Accepts connections and holds them open without reading or answering.
class SilentServer {
 public:
  explicit SilentServer(asio::io_context& io);
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  size_t accepted() const { return held_.size(); }

 private:
  asio::awaitable<void> accept_loop();
  tcp::acceptor acceptor_;
  std::vector<tcp::socket> held_;
};

}  // namespace gatehouse::outbound::fixtures
