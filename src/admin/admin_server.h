// The admin listener: a small HTTP/1.1 server on the control thread's io_context, apart from the
// traffic workers. It serves
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
  // `metrics`, `ready`, `revocations` and `installed` must outlive the server; they are used on
  // the io_context's thread. Without `revocations`, /revocations is not served; without
  // `installed` (or while it has no gateway key), /jwks and the API key routes are not.
  AdminServer(boost::asio::io_context& ioc, const config::HostPort& address,
              const observability::Metrics& metrics, std::function<bool()> ready,
              security::Revocations* revocations = nullptr,
              std::function<InstalledState()> installed = {});
  ~AdminServer();  // stops

  // Binds and listens, then serves on the io_context. The error text names the address (e.g.
  // when the port is in use).
  std::expected<void, std::string> start();

  // Closes the listener and every open admin connection. Call on the io_context's thread, or
  // while it does not run.
  void stop();

  // The bound port, once started: the configured one, or the one the system chose for port 0.
  uint16_t port() const;
  // The bound address and port, once started.
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the connection coroutines, which may outlive us
};

}  // namespace gatehouse::admin
