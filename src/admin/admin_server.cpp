#include "admin/admin_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <list>

#include "admin/admin_routes.h"

namespace gatehouse::admin {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr size_t kMaxRequestHeadBytes = 8 * 1024;
constexpr size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

constexpr auto as_result = net::as_tuple(net::use_awaitable);

std::string describe(const config::HostPort& address) {
  return address.host + ":" + std::to_string(address.port);
}

}  // namespace

class AdminServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(net::io_context& ioc, const config::HostPort& address, AdminServices services)
      : ioc_(ioc), address_(address), services_(std::move(services)), acceptor_(ioc) {}

  std::expected<void, std::string> start() {
    const auto fail = [&](std::string_view what, const boost::system::error_code& ec) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      return std::unexpected("admin listener " + describe(address_) + ": " + std::string(what) +
                             ": " + ec.message());
    };
    boost::system::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints =
        resolver.resolve(address_.host, std::to_string(address_.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) return fail("cannot resolve", ec);
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) return fail("cannot open socket", ec);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (ec) return fail("cannot set SO_REUSEADDR", ec);
    acceptor_.bind(endpoint, ec);
    if (ec) return fail("cannot bind", ec);
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot listen", ec);
    local_endpoint_ = acceptor_.local_endpoint();
    net::co_spawn(ioc_, accept_loop(shared_from_this()), net::detached);
    return {};
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (beast::tcp_stream* connection : connections_) connection->close();
  }

  tcp::endpoint local_endpoint() const { return local_endpoint_; }

 private:
  // `self` keeps the server alive for as long as the coroutine runs.
  net::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(as_result);
      if (!ec) {
        net::co_spawn(ioc_, serve(self, beast::tcp_stream(std::move(socket))), net::detached);
      } else if (acceptor_.is_open()) {
        // Out of descriptors or similar: wait instead of spinning on the same error.
        net::steady_timer pause(ioc_, kAcceptRetryDelay);
        co_await pause.async_wait(as_result);
      }
    }
  }

  net::awaitable<void> serve(std::shared_ptr<Impl> self, beast::tcp_stream stream) {
    const auto registration = connections_.insert(connections_.end(), &stream);
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxRequestHeadBytes);
      parser.body_limit(kMaxRequestBodyBytes);
      stream.expires_after(kIdleTimeout);
      auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, as_result);
      if (read_error) break;  // closed, timed out, stopped or malformed: nothing to answer

      const auto& request = parser.get();
      AdminResponse routed = route_admin_request(
          {request.method_string(), request.target(), request.body()}, services_);
      http::response<http::string_body> response{static_cast<http::status>(routed.status),
                                                 request.version()};
      response.set(http::field::content_type, routed.content_type);
      response.set(http::field::cache_control, "no-store");
      if (!routed.allow.empty()) response.set(http::field::allow, routed.allow);
      response.keep_alive(request.keep_alive());
      response.content_length(routed.body.size());
      if (request.method() != http::verb::head) response.body() = std::move(routed.body);

      auto [write_error, written] = co_await http::async_write(stream, response, as_result);
      if (write_error || !response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    connections_.erase(registration);
  }

  net::io_context& ioc_;
  const config::HostPort address_;
  const AdminServices services_;
  tcp::acceptor acceptor_;
  tcp::endpoint local_endpoint_;
  std::list<beast::tcp_stream*> connections_;  // open connections, closed by stop()
};

AdminServer::AdminServer(net::io_context& ioc, const config::HostPort& address,
                         const observability::Metrics& metrics, std::function<bool()> ready,
                         security::Revocations* revocations,
                         std::function<InstalledState()> installed)
    : impl_(std::make_shared<Impl>(
          ioc, address,
          AdminServices{metrics, std::move(ready), revocations, std::move(installed)})) {}

AdminServer::~AdminServer() {
  stop();
}

std::expected<void, std::string> AdminServer::start() {
  return impl_->start();
}

void AdminServer::stop() {
  impl_->stop();
}

uint16_t AdminServer::port() const {
  return impl_->local_endpoint().port();
}

tcp::endpoint AdminServer::local_endpoint() const {
  return impl_->local_endpoint();
}

}  // namespace gatehouse::admin
