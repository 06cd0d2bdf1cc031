#include "server/worker.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/worker_index.h"
#include "net/as_result.h"
#include "net/listen.h"
#include "observability/log.h"

namespace gatehouse::server {

namespace asio = boost::asio;
namespace log = observability::log;
using tcp = asio::ip::tcp;

namespace {
using net::as_result;
}

Worker::Worker(size_t index, observability::Metrics::Worker& metrics,
               std::unique_ptr<observability::AccessLog::Writer> access_log,
               const keymanager::Endpoints* key_manager)
    : index_(index), context_(metrics, std::move(access_log), key_manager) {}

Worker::~Worker() {
  stop_now();
  if (thread_.joinable()) thread_.join();
  // Idle pooled sockets and the acceptors go while their io_context is alive; then the
  // io_context, which destroys the connections still suspended in it.
  context_.pool().clear();
  acceptors_.clear();
  io_.reset();
}

std::expected<void, std::string> Worker::listen(const std::vector<BoundListener>& listeners) {
  listeners_ = listeners;
  for (BoundListener& listener : listeners_) {
    auto acceptor = net::open_acceptor(*io_, listener.endpoint);
    if (!acceptor)
      return std::unexpected("listener '" + listener.info.name + "': " + acceptor.error());
    net::error_code error;
    listener.endpoint = acceptor->local_endpoint(error);
    if (error) return std::unexpected("listener '" + listener.info.name + "': " + error.message());
    acceptors_.push_back(std::move(*acceptor));
  }
  return {};
}

void Worker::start(snapshot::SnapshotPtr snapshot, security::SubscriptionsPtr subscriptions) {
  context_.install(std::move(snapshot), std::move(subscriptions));
  for (size_t i = 0; i < acceptors_.size(); ++i) {
    asio::co_spawn(*io_, accept_loop(acceptors_[i], listeners_[i]), asio::detached);
  }
  asio::co_spawn(*io_, housekeeping(), asio::detached);
  thread_ = std::thread([this] {
    set_this_worker(index_);
    for (;;) {
      try {
        io_->run();
        break;
      } catch (const std::exception& e) {
        // A bug in one connection's code must not take the worker's other connections down.
        log::error("worker {}: unexpected error: {}", index_, e.what());
      }
    }
    finished_ = true;
  });
}

void Worker::install(snapshot::SnapshotPtr snapshot, security::SubscriptionsPtr subscriptions) {
  asio::post(*io_, [this, snapshot = std::move(snapshot),
                    subscriptions = std::move(subscriptions)]() mutable {
    context_.install(std::move(snapshot), std::move(subscriptions));
  });
}

void Worker::install(security::SubscriptionsPtr subscriptions) {
  asio::post(*io_, [this, subscriptions = std::move(subscriptions)]() mutable {
    context_.install(std::move(subscriptions));
  });
}

void Worker::post(std::function<void()> task) {
  asio::post(*io_, std::move(task));
}

void Worker::drain() {
  asio::post(*io_, [this] {
    for (tcp::acceptor& acceptor : acceptors_) {
      net::error_code ignored;
      acceptor.close(ignored);
    }
    context_.drain();
    asio::co_spawn(*io_, wait_for_sessions_then_stop(), asio::detached);
  });
}

bool Worker::join_until(std::chrono::steady_clock::time_point deadline) {
  while (!finished_ && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!finished_) return false;
  if (thread_.joinable()) thread_.join();
  return true;
}

void Worker::stop_now() {
  io_->stop();
}

asio::awaitable<void> Worker::accept_loop(tcp::acceptor& acceptor, const BoundListener& listener) {
  asio::steady_timer backoff(*io_);
  while (acceptor.is_open()) {
    auto [error, socket] = co_await acceptor.async_accept(as_result);
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or memory: pause instead of spinning; the backlog waits meanwhile.
      log::warn("accept on {}: {}", listener.info.name, error.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(as_result);
      continue;
    }
    net::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    net::Stream stream = listener.tls ? net::Stream(std::move(socket), *listener.tls)
                                      : net::Stream(std::move(socket));
    proxy::ClientSession::start(context_, std::move(stream), listener.info);
  }
}

asio::awaitable<void> Worker::housekeeping() {
  asio::steady_timer timer(*io_);
  while (!context_.draining()) {
    timer.expires_after(std::chrono::seconds(5));
    co_await timer.async_wait(as_result);
    context_.pool().sweep(std::chrono::steady_clock::now());
  }
}

asio::awaitable<void> Worker::wait_for_sessions_then_stop() {
  asio::steady_timer timer(*io_);
  while (context_.session_count() > 0) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(as_result);
  }
  io_->stop();
}

}  // namespace gatehouse::server
