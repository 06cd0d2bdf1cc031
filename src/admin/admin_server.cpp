#include "admin/admin_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <list>

#include "admin/admin_access.h"
#include "admin/admin_routes.h"
#include "net/tls.h"

namespace gatehouse::admin {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr size_t kMaxRequestHeadBytes = 8 * 1024;
constexpr size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

constexpr auto as_result = net::as_tuple(net::use_awaitable);

std::string describe(const gatehouse::net::HostPort& address) {
  return address.host + ":" + std::to_string(address.port);
}

// What the access check and the routes read of a request.
AdminRequest admin_request(const http::request<http::string_body>& request,
                           bool client_certificate) {
  AdminRequest admin{request.method_string(), request.target(), request.body()};
  const size_t hosts = request.count(http::field::host);
  // Several Host headers name no one listener: the empty host is refused as malformed.
  if (hosts != 0) {
    admin.host = hosts == 1 ? std::string_view(request[http::field::host]) : std::string_view();
  }
  admin.content_type = request[http::field::content_type];
  admin.authorization = request[http::field::authorization];
  admin.client_certificate = client_certificate;
  admin.version = static_cast<int>(request.version());
  return admin;
}

}  // namespace

class AdminServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(net::io_context& ioc, config::AdminConfig config, AdminServices services)
      : ioc_(ioc), config_(std::move(config)), services_(std::move(services)), acceptor_(ioc) {}

  std::expected<void, std::string> start() {
    const auto fail = [&](std::string_view what, const boost::system::error_code& ec) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      return std::unexpected("admin listener " + describe(config_.address) + ": " +
                             std::string(what) + ": " + ec.message());
    };
    if (auto updated = update(config_); !updated) return updated;
    if (config_.tls) {
      auto tls = gatehouse::net::make_server_tls(*config_.tls);
      if (!tls) return std::unexpected("admin listener TLS: " + tls.error());
      tls_ = *tls;
    }
    boost::system::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints =
        resolver.resolve(config_.address.host, std::to_string(config_.address.port),
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

  std::expected<void, std::string> update(const config::AdminConfig& config) {
    auto access = AdminAccess::create(config);
    if (!access) return std::unexpected(access.error());
    access_ = std::move(*access);
    return {};
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (beast::tcp_stream* connection : connections_) connection->close();
  }

  tcp::endpoint local_endpoint() const { return local_endpoint_; }
  bool tls() const { return tls_ != nullptr; }

 private:
  // `self` keeps the server alive for as long as the coroutine runs.
  net::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(as_result);
      if (!ec) {
        if (tls_) {
          net::co_spawn(ioc_, serve_tls(self, std::move(socket)), net::detached);
        } else {
          net::co_spawn(ioc_, serve(self, beast::tcp_stream(std::move(socket)), false),
                        net::detached);
        }
      } else if (acceptor_.is_open()) {
        // Out of descriptors or similar: wait instead of spinning on the same error.
        net::steady_timer pause(ioc_, kAcceptRetryDelay);
        co_await pause.async_wait(as_result);
      }
    }
  }

  net::awaitable<void> serve_tls(std::shared_ptr<Impl> self, tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_);
    beast::get_lowest_layer(stream).expires_after(kHandshakeTimeout);
    auto [handshake_error] =
        co_await stream.async_handshake(net::ssl::stream_base::server, as_result);
    if (handshake_error) co_return;
    // The handshake has refused a certificate the client CA does not vouch for.
    const bool certificate = gatehouse::net::peer_certificate(stream.native_handle()).verified;
    co_await serve(std::move(self), std::move(stream), certificate);
  }

  // Reads requests and answers them until the client closes, a timeout, or an error.
  template <class Stream>
  net::awaitable<void> serve(std::shared_ptr<Impl> self, Stream stream, bool client_certificate) {
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    const auto registration = connections_.insert(connections_.end(), &tcp);
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxRequestHeadBytes);
      parser.body_limit(kMaxRequestBodyBytes);
      tcp.expires_after(kIdleTimeout);
      auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, as_result);
      if (read_error) break;  // closed, timed out, stopped or malformed: nothing to answer

      const auto& request = parser.get();
      const AdminRequest admin = admin_request(request, client_certificate);
      // Held for the request: a reload may replace the access rules meanwhile.
      const std::shared_ptr<AdminAccess> access = access_;
      std::optional<AdminResponse> refused = access->refuse(admin);
      AdminResponse routed = refused ? std::move(*refused) : route_admin_request(admin, services_);
      http::response<http::string_body> response{static_cast<http::status>(routed.status),
                                                 request.version()};
      response.set(http::field::content_type, routed.content_type);
      response.set(http::field::cache_control, "no-store");
      if (!routed.allow.empty()) response.set(http::field::allow, routed.allow);
      for (const std::string& challenge : routed.challenges) {
        response.insert(http::field::www_authenticate, challenge);
      }
      // A refused request may still have a body on its way; closing is simpler than reading it.
      response.keep_alive(request.keep_alive() && !refused);
      response.content_length(routed.body.size());
      if (request.method() != http::verb::head) response.body() = std::move(routed.body);

      auto [write_error, written] = co_await http::async_write(stream, response, as_result);
      if (write_error || !response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    tcp.socket().shutdown(tcp::socket::shutdown_send, ignored);
    connections_.erase(registration);
  }

  net::io_context& ioc_;
  const config::AdminConfig config_;
  const AdminServices services_;
  tcp::acceptor acceptor_;
  std::shared_ptr<net::ssl::context> tls_;  // null: plain HTTP
  std::shared_ptr<AdminAccess> access_;
  tcp::endpoint local_endpoint_;
  std::list<beast::tcp_stream*> connections_;  // open connections, closed by stop()
};

AdminServer::AdminServer(net::io_context& ioc, config::AdminConfig config, AdminServices services)
    : impl_(std::make_shared<Impl>(ioc, std::move(config), std::move(services))) {}

AdminServer::~AdminServer() {
  stop();
}

std::expected<void, std::string> AdminServer::start() {
  return impl_->start();
}

std::expected<void, std::string> AdminServer::update(const config::AdminConfig& config) {
  return impl_->update(config);
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

bool AdminServer::tls() const {
  return impl_->tls();
}

}  // namespace gatehouse::admin
