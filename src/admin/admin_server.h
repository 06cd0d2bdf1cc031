// The admin listener: a small HTTP/1.1 server (HTTPS with `admin.tls`) on the control thread's
// io_context, apart from the traffic workers. Every request first passes AdminAccess (Host,
// authentication, JSON bodies: admin/admin_access.h), then the routes:
//   GET /metrics   Prometheus text exposition (text/plain; version=0.0.4)
//   GET /healthz   200 {"status":"ok"} while the process runs
//   GET /readyz    200 {"status":"ready"} when the `ready` callback says so, else 503
//   GET, POST /revocations   given a Revocations: token revocation (admin/revocation_routes.h)
//   GET /jwks      with a signing key installed: the gateway key's public JWKS, with which
//                  backends verify the backend JWT and clients the API keys
//   POST /applications/{id}/api-keys/{PRODUCTION|SANDBOX}/generate   with a signing key: an
//                  API key for a configured application (admin/api_key_routes.h)
// HEAD is answered like GET without a body; another method on these paths is 405, and any other
// path 404, both with the gateway's JSON error body.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>

#include "admin/admin_routes.h"
#include "config/model.h"

namespace boost::asio {
class io_context;
}

namespace gatehouse::admin {

class AdminServer {
 public:
  // What `services` refers to must outlive the server; it is used on the io_context's thread.
  AdminServer(boost::asio::io_context& ioc, config::AdminConfig config, AdminServices services);
  ~AdminServer();  // stops

  // Loads the TLS certificate and key if `tls` is configured, binds and listens, then serves on
  // the io_context. The error text names the address (e.g. when the port is in use).
  std::expected<void, std::string> start();

  // The Host names and authentication of a reloaded config, for the requests read from now on.
  // The address and TLS are kept: they change at the next start.
  std::expected<void, std::string> update(const config::AdminConfig& config);

  // Closes the listener and every open admin connection. Call on the io_context's thread, or
  // while it does not run.
  void stop();

  // The bound port, once started: the configured one, or the one the system chose for port 0.
  uint16_t port() const;
  bool tls() const;
  // The bound address and port, once started.
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the connection coroutines, which may outlive us
};

}  // namespace gatehouse::admin
