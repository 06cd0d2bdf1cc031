// One client connection: a coroutine that reads a request, routes it, runs the policy chain,
// proxies it to a backend and streams the response back, then loops for the next request on the
// same connection (keep-alive, pipelining) until either side closes, a limit is hit, or the
// worker drains.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/stream.h"
#include "net/watchdog.h"
#include "proxy/exchange.h"
#include "proxy/worker_context.h"

namespace gatehouse::proxy {

struct ListenerInfo {
  std::string name;
  bool tls = false;
};

class ClientSession {
 public:
  ClientSession(WorkerContext& worker, net::Stream stream, const ListenerInfo& listener);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  boost::asio::awaitable<void> run();

  // Closes the connection now if it is waiting for a next request (used when draining).
  void close_if_idle();

 private:
  enum class After { keep_alive, close };
  struct Request;  // the per-exchange state, see client_session.cpp

  boost::asio::awaitable<After> serve_one();
  boost::asio::awaitable<After> handle(Request& request);
  boost::asio::awaitable<After> proxy(Request& request);
  // True if a policy answered (exchange.local_response is set).
  boost::asio::awaitable<bool> run_request_policies(Request& request);
  void run_response_policies(Request& request);
  boost::asio::awaitable<After> respond_local(Request& request);
  boost::asio::awaitable<After> respond_error(Request& request, const ApiError& error);
  boost::asio::awaitable<bool> write_client(std::span<const boost::asio::const_buffer> buffers);
  void finish(Request& request);

  WorkerContext& worker_;
  net::Stream stream_;
  ListenerInfo listener_;
  net::Watchdog watchdog_;
  net::ByteBuffer buffer_;
  std::string client_address_;
  ClientTls tls_;
  std::string head_out_;      // reused for every head written toward the client
  std::string upstream_head_;  // reused for every head written toward a backend
  std::optional<http::RequestParser> parser_;  // reused for every request
  http::ParserLimits parser_limits_;
  http::RequestHead head_;  // reused: its header vector keeps its capacity
  bool idle_ = true;
  bool first_request_ = true;
};

}  // namespace gatehouse::proxy
