// A worker: one thread, one io_context, one acceptor per listener (SO_REUSEPORT), and the
// WorkerContext its connections share. Other threads talk to it only by posting to its
// io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "keymanager/server/endpoints.h"
#include "proxy/client_session.h"
#include "proxy/worker_context.h"
#include "snapshot/snapshot.h"

namespace gatehouse::server {

struct BoundListener {
  proxy::ListenerInfo info;
  boost::asio::ip::tcp::endpoint endpoint;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null for plain HTTP
};

class Worker {
 public:
  // `key_manager`: the built-in key manager's endpoints, served on every listener; null when
  // the config has no `oauth2_server`.
  Worker(size_t index, observability::Metrics::Worker& metrics,
         std::unique_ptr<observability::AccessLog::Writer> access_log,
         const keymanager::Endpoints* key_manager = nullptr);
  ~Worker();

  // Binds this worker's acceptors; called on the control thread before start().
  std::expected<void, std::string> listen(const std::vector<BoundListener>& listeners);
  // The listeners as bound: a port 0 of listen()'s argument is the port the system chose.
  const std::vector<BoundListener>& listeners() const { return listeners_; }
  void start(snapshot::SnapshotPtr snapshot, security::SubscriptionsPtr subscriptions);

  void install(snapshot::SnapshotPtr snapshot, security::SubscriptionsPtr subscriptions);
  // A change of applications or subscriptions alone.
  void install(security::SubscriptionsPtr subscriptions);
  // Runs `task` on this worker's thread, between its connections' steps.
  void post(std::function<void()> task);
  // What work for this worker's thread is bound to (its connections to Redis, say).
  boost::asio::any_io_executor executor() const { return io_->get_executor(); }
  // Stops accepting, closes idle connections, and lets busy ones finish; the thread ends when
  // the last connection is gone. `join_until` then waits at most until the deadline.
  void drain();
  bool join_until(std::chrono::steady_clock::time_point deadline);
  void stop_now();

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor,
                                           const BoundListener& listener);
  boost::asio::awaitable<void> housekeeping();
  boost::asio::awaitable<void> wait_for_sessions_then_stop();

  size_t index_;
  // Destroyed explicitly, before context_: destroying it destroys the suspended connection
  // coroutines, which still use context_. Only this worker's thread touches its sockets and
  // timers (other threads post), so their per-operation locks are switched off; the queue that
  // posts go through keeps its lock.
  std::unique_ptr<boost::asio::io_context> io_ =
      std::make_unique<boost::asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO);
  proxy::WorkerContext context_;
  std::vector<BoundListener> listeners_;
  std::vector<boost::asio::ip::tcp::acceptor> acceptors_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

}  // namespace gatehouse::server
