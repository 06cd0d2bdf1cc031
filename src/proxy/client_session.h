// One HTTP/1 client connection: a coroutine that reads a request head, has the exchange runner
// serve it (route, policies, log) and, as its Downstream, proxies it to a backend and streams
// the response back or writes the gateway's own answer; then loops for the next request on the
// same connection (keep-alive, pipelining) until either side closes, a limit is hit, or the
// worker drains. A connection that goes idle without its scratch leaves the coroutine and waits
// in a completion handler; its next request starts a new one.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "core/path_normalization.h"
#include "http/message.h"
#include "net/stream.h"
#include "net/watchdog.h"
#include "pipeline/exchange.h"
#include "proxy/exchange_runner.h"
#include "proxy/worker_context.h"

namespace gatehouse::proxy {

// The state a connection needs only while it carries an exchange (client_session.cpp).
struct SessionScratch;

class ClientSession final : public Downstream {
 public:
  // Serves the connection on the worker's thread until it ends; the session owns itself
  // meanwhile. A plain-TCP connection that waits idle without its scratch holds no coroutine
  // frame then, only the session and one pending wait (see wait_idle()).
  static void start(WorkerContext& worker, net::Stream stream, const ListenerInfo& listener);

  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Closes the connection now if it is waiting for a next request (used when draining).
  void close_if_idle();

 private:
  ClientSession(WorkerContext& worker, net::Stream stream, const ListenerInfo& listener);

  // Runs serve() in a coroutine of its own; when it returns, waits idle or ends the session.
  static void resume(std::unique_ptr<ClientSession> self);
  // Waits for the client's next request, then resumes; ends the session if the wait fails (the
  // client left, the keep-alive timeout passed, or the worker drains).
  static void wait_idle(std::unique_ptr<ClientSession> self);
  // Serves requests until the connection ends (false) or is idle without its scratch (true).
  boost::asio::awaitable<bool> serve();

  enum class HeadProgress { need_more, done, refused };
  struct Request;  // the per-exchange state, see client_session.cpp
  friend struct SessionScratch;

  // How long a closing connection keeps reading what the client still sends (linger()).
  static constexpr std::chrono::seconds linger_time{2};

  boost::asio::awaitable<After> serve_one();
  Request& start_request();
  void end_request();
  HeadProgress parse_head(Request& request);
  void set_error(Request& request, const ApiError& error);
  boost::asio::awaitable<BodyRead> read_body(ExchangeRun& run, uint64_t limit) override;
  boost::asio::awaitable<After> send_local(ExchangeRun& run) override;
  boost::asio::awaitable<After> forward(ExchangeRun& run) override;
  // Whether the request's head was parsed and taken off the buffer (not refused).
  static bool head_consumed(const Request& request);
  // Whether the connection may serve another request after this locally answered one.
  static bool may_keep_alive(const Request& request);
  boost::asio::awaitable<bool> write_client(std::span<const boost::asio::const_buffer> buffers);
  // Hands the per-exchange state back to the worker's free list (the connection goes idle).
  void release_scratch();
  // Ends this connection's count among the idle ones that kept their scratch, if it is counted.
  void stop_keeping_idle_scratch();
  boost::asio::awaitable<void> linger();

  WorkerContext& worker_;
  net::Stream stream_;
  const ListenerInfo& listener_;  // the worker's, which outlives its connections
  ExchangeRunner runner_;
  net::Watchdog watchdog_;
  std::string client_address_;
  std::unique_ptr<pipeline::ClientTls> tls_;  // TLS listeners only
  // Held from the first byte of a request to the moment the connection waits idle; null between,
  // except on the few idle connections per worker that keep it (client_session.cpp).
  std::unique_ptr<SessionScratch> scratch_;
  bool idle_ = true;
  bool keeps_idle_scratch_ = false;  // idle with its scratch, counted by the worker
  bool first_request_ = true;
};

}  // namespace gatehouse::proxy
