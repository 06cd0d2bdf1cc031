// The backend side of one exchange: choose an endpoint, take a pooled connection or open one
// (retrying another endpoint where that is safe), send the request head and stream the body,
// read the response head, stream the response body, and give the connection back.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>

#include "core/api_error.h"
#include "http/message.h"
#include "http/parser.h"
#include "net/watchdog.h"
#include "pipeline/exchange.h"
#include "proxy/body_relay.h"
#include "proxy/upstream_pool.h"
#include "proxy/worker_context.h"

namespace gatehouse::proxy {

// Where the request body comes from: the rest of the client's buffer, then the client's stream.
struct RequestBody {
  http::RequestParser& parser;
  net::Stream& client;
  net::ByteBuffer& buffer;
  size_t head_length;
};

// The error a client gets for a response body the backend failed to deliver (bad framing or
// trailers, closed early, timed out), when none of the response has reached the client yet.
ApiError response_body_error(const RelayResult& relayed, std::string_view api_label);

class UpstreamCall {
 public:
  // `head_out` is the caller's reusable string for the request head toward the backend.
  UpstreamCall(WorkerContext& worker, WorkerView& view, net::Watchdog& watchdog,
               std::string& head_out);
  ~UpstreamCall();

  struct Outcome {
    enum Kind {
      ok,             // the response head is in: see response_head()
      client_failed,  // the client went away while sending its body: nothing to answer
      client_error,   // the client's body was bad or too large: answer `error`
      backend_error,  // no backend answered usably: answer `error` (502, 503, 504)
    };
    Kind kind = ok;
    std::optional<ApiError> error;
    bool request_body_sent = false;  // false: the request body is still on the client's wire
  };

  boost::asio::awaitable<Outcome> send_request(const http::RequestHead& head,
                                               pipeline::Exchange& exchange, RequestBody body,
                                               bool client_tls);

  // Valid until release().
  const http::ResponseHead& response_head() const { return connection_->scratch_state->response; }

  // Sends `head` (the response head, already written for the client) and then the body, with
  // the trailers that go on (not those `edits`, the response's, remove or set).
  boost::asio::awaitable<RelayResult> relay_response(net::Stream& client, std::string_view head,
                                                     http::BodyFraming to_client,
                                                     const http::HeaderEdits& edits);

  // Gives the connection back to the pool if the backend may reuse it.
  void release();

 private:
  // How one try on one connection ended: a response head is in, the pooled connection was stale
  // (try again on a fresh one), or the exchange failed with `outcome` set.
  enum class Attempt { done, retry_fresh, failed };

  boost::asio::awaitable<std::unique_ptr<UpstreamConnection>> connect(const Endpoint& endpoint,
                                                                      const EndpointGroup& group,
                                                                      bool& timed_out);
  boost::asio::awaitable<Attempt> exchange_with(const Endpoint& endpoint, bool reused,
                                                const http::RequestHead& head,
                                                pipeline::Exchange& exchange, RequestBody& body,
                                                bool client_tls, Outcome& outcome);
  boost::asio::awaitable<bool> read_response_head(const EndpointGroup& group,
                                                  std::string_view method, bool& timed_out,
                                                  bool& nothing_received,
                                                  std::optional<ApiError>& error);

  WorkerContext& worker_;
  WorkerView& view_;
  net::Watchdog& watchdog_;
  std::unique_ptr<UpstreamConnection> connection_;
  void start_response_parser(const http::ParserLimits& limits, std::string_view method);

  http::ResponseParser* parser_ = nullptr;  // the connection's
  size_t response_head_length_ = 0;
  bool reusable_ = false;
  std::string& head_out_;
};

}  // namespace gatehouse::proxy
