#include "admin/admin_server.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <list>

#include "admin/admin_access.h"
#include "admin/admin_routes.h"
#include "admin/key_manager_route.h"
#include "net/as_result.h"
#include "net/stream.h"
#include "net/tls.h"
#include "net/until_called.h"
#include "net/watchdog.h"

namespace gatehouse::admin {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using gatehouse::net::IoResult;
using gatehouse::net::Stream;
using gatehouse::net::Watchdog;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr size_t kMaxRequestHeadBytes = 8 * 1024;
constexpr size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr size_t kReadBytes = 4096;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

using gatehouse::net::as_result;

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
  const auto [first_cookie, cookies_end] = request.equal_range(http::field::cookie);
  for (auto cookie = first_cookie; cookie != cookies_end; ++cookie) {
    admin.cookies.push_back(cookie->value());
  }
  admin.client_certificate = client_certificate;
  admin.version = static_cast<int>(request.version());
  return admin;
}

// Whether the routes may have posted a change to the workers: a request that is not a read, and
// succeeded.
bool changed_something(http::verb method, const AdminResponse& response) {
  const bool read = method == http::verb::get || method == http::verb::head;
  return !read && response.status >= 200 && response.status < 300;
}

// Reads one request into `parser`: first from what `buffer` holds, then from `stream`; the bytes
// after the request stay in `buffer` for the next one. False when there is nothing to answer: the
// connection closed, failed or timed out, or the request is malformed or over a limit.
// Beast's parser is fed here rather than by http::async_read, whose composed operations,
// instantiated per stream type (plain and TLS), took most of this file's compile time.
net::awaitable<bool> read_request(Stream& stream, beast::flat_buffer& buffer,
                                  http::request_parser<http::string_body>& parser) {
  for (;;) {
    while (buffer.size() != 0 && !parser.is_done()) {
      boost::system::error_code error;
      const size_t used = parser.put(buffer.data(), error);
      buffer.consume(used);
      if (error == http::error::need_more || (!error && used == 0)) break;
      if (error) co_return false;
    }
    if (parser.is_done()) co_return true;
    const auto space = buffer.prepare(kReadBytes);
    const IoResult read = co_await stream.read_some(static_cast<char*>(space.data()), space.size());
    if (read.error) co_return false;
    buffer.commit(read.bytes);
  }
}

// The response as Beast's serializer writes an http::response with these fields, keep_alive()
// set to `keep_alive` and content_length() to the length of the body.
std::string response_text(const AdminResponse& routed, unsigned version, bool keep_alive,
                          bool with_body) {
  std::string text = "HTTP/" + std::to_string(version / 10) + "." + std::to_string(version % 10) +
                     " " + std::to_string(routed.status) + " " +
                     std::string(http::obsolete_reason(static_cast<http::status>(routed.status))) +
                     "\r\n";
  const auto field = [&](std::string_view name, std::string_view value) {
    text.append(name).append(": ").append(value).append("\r\n");
  };
  if (!routed.content_type.empty()) field("Content-Type", routed.content_type);  // a redirect
  field("Cache-Control", "no-store");
  if (!routed.allow.empty()) field("Allow", routed.allow);
  for (const std::string& challenge : routed.challenges) field("WWW-Authenticate", challenge);
  for (const auto& [name, value] : routed.headers) field(name, value);
  // HTTP/1.1 keeps a connection open unless told to close it, HTTP/1.0 closes it unless told not.
  if (version >= 11 && !keep_alive) field("Connection", "close");
  if (version < 11 && keep_alive) field("Connection", "keep-alive");
  field("Content-Length", std::to_string(routed.body.size()));
  text += "\r\n";
  if (with_body) text += routed.body;
  return text;
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
    for (Stream* connection : connections_) connection->close();
  }

  tcp::endpoint local_endpoint() const { return local_endpoint_; }
  bool tls() const { return tls_ != nullptr; }

 private:
  // `self` keeps the server alive for as long as the coroutine runs.
  net::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(as_result);
      if (!ec) {
        Stream stream = tls_ ? Stream(std::move(socket), *tls_) : Stream(std::move(socket));
        net::co_spawn(ioc_, serve(self, std::move(stream)), net::detached);
      } else if (acceptor_.is_open()) {
        // Out of descriptors or similar: wait instead of spinning on the same error.
        net::steady_timer pause(ioc_, kAcceptRetryDelay);
        co_await pause.async_wait(as_result);
      }
    }
  }

  // Answers the connection's requests until the client closes, a timeout, or an error.
  net::awaitable<void> serve(std::shared_ptr<Impl> self, Stream stream) {
    const auto registration = connections_.insert(connections_.end(), &stream);
    Watchdog watchdog(ioc_.get_executor());
    bool handshaken = true;
    bool client_certificate = false;
    if (stream.is_tls()) {
      watchdog.arm(stream, kHandshakeTimeout);
      handshaken = !co_await stream.handshake_server();
      // The handshake has refused a certificate the client CA does not vouch for.
      client_certificate =
          handshaken && gatehouse::net::peer_certificate(stream.native_tls()).verified;
    }
    if (handshaken) co_await serve_requests(stream, watchdog, client_certificate);
    watchdog.stop();
    stream.shutdown_send();
    connections_.erase(registration);
  }

  net::awaitable<void> serve_requests(Stream& stream, Watchdog& watchdog, bool client_certificate) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxRequestHeadBytes);
      parser.body_limit(kMaxRequestBodyBytes);
      // Bounds reading the request and writing its response.
      watchdog.arm(stream, kIdleTimeout);
      if (!co_await read_request(stream, buffer, parser)) break;

      const auto& request = parser.get();
      const AdminRequest admin = admin_request(request, client_certificate);
      // Held for the request: a reload may replace the access rules meanwhile.
      const std::shared_ptr<AdminAccess> access = access_;
      std::optional<AdminResponse> refused;
      AdminResponse routed;
      if (const auto endpoint = key_manager_endpoint(services_, admin.target)) {
        // Not through the admin access rules: the key manager authenticates its own clients
        // (client_secret_basic is the Basic scheme the admin users would take) and reads forms,
        // not JSON.
        const keymanager::OAuthRequest oauth = oauth_request_of(admin);
        keymanager::OAuthAnswer answer = co_await services_.key_manager->handle(*endpoint, oauth);
        routed = admin_response_of(std::move(answer));
      } else {
        refused = access->refuse(admin);
        routed = refused ? std::move(*refused) : route_admin_request(admin, services_);
        if (changed_something(request.method(), routed) && services_.every_worker) {
          co_await gatehouse::net::until_called(services_.every_worker);
        }
      }
      // A refused request may still have a body on its way; closing is simpler than reading it.
      const bool keep_alive = request.keep_alive() && !refused;
      const std::string response = response_text(routed, request.version(), keep_alive,
                                                 request.method() != http::verb::head);
      const IoResult written = co_await stream.write(net::buffer(response));
      if (written.error || !keep_alive) break;
    }
  }

  net::io_context& ioc_;
  const config::AdminConfig config_;
  const AdminServices services_;
  tcp::acceptor acceptor_;
  std::shared_ptr<net::ssl::context> tls_;  // null: plain HTTP
  std::shared_ptr<AdminAccess> access_;
  tcp::endpoint local_endpoint_;
  std::list<Stream*> connections_;  // open connections, closed by stop()
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
