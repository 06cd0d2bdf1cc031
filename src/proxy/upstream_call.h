// The backend side of one exchange: choose an endpoint, take a pooled connection or open one
// (retrying another endpoint where that is safe), send the request head and stream the body,
// read the response head, stream the response body, and give the connection back.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <memory>

#include "core/error.h"
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

// The answer a client gets for a response body the backend failed to deliver (bad framing or
// trailers, closed early, timed out: `relay_error`), when none of the response has reached the
// client yet.
ApiError response_body_answer(const Error& relay_error, std::string_view api_label);

class UpstreamCall {
 public:
  // `head_out` is the caller's reusable string for the request head toward the backend.
  UpstreamCall(WorkerContext& worker, WorkerView& view, net::Watchdog& watchdog,
               std::string& head_out);
  ~UpstreamCall();

  // On success the response head is in: see response_head(). An error comes from the client
  // while it sent its body (client_gone(): nothing to answer; or a bad, slow or too large body:
  // 400, 408, 413) or from the backend, when none answered usably (502, 503, 504).
  // `api` is the one the request was routed to.
  boost::asio::awaitable<std::expected<void, Error>> send_request(const http::RequestHead& head,
                                                                  const snapshot::CompiledApi& api,
                                                                  pipeline::Exchange& exchange,
                                                                  RequestBody body,
                                                                  bool client_tls);
  // False: the request body is still on the client's wire.
  bool request_body_sent() const { return request_body_sent_; }

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
  // A new connection; its error (retryable: nothing was sent) answers 504 for a timeout and 503
  // otherwise.
  boost::asio::awaitable<std::expected<std::unique_ptr<UpstreamConnection>, Error>> connect(
      const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
      std::string_view api_label);
  // One try on one connection, up to the response head. Its error is retryable only when the
  // connection came from the pool and the backend had closed it meanwhile: the request, whole,
  // may go again on a fresh one.
  boost::asio::awaitable<std::expected<void, Error>> exchange_with(
      const snapshot::Endpoint& endpoint, bool reused, const http::RequestHead& head,
      const snapshot::CompiledApi& api, pipeline::Exchange& exchange, RequestBody& body,
      bool client_tls);
  // From the backend: bad_response (an invalid head, a switch of protocols), timeout or closed;
  // retryable when nothing at all came back.
  boost::asio::awaitable<std::expected<void, Error>> read_response_head(
      const snapshot::EndpointGroup& group, std::string_view method);

  WorkerContext& worker_;
  WorkerView& view_;
  net::Watchdog& watchdog_;
  std::unique_ptr<UpstreamConnection> connection_;
  void start_response_parser(const http::ParserLimits& limits, std::string_view method);

  http::ResponseParser* parser_ = nullptr;  // the connection's
  size_t response_head_length_ = 0;
  bool reusable_ = false;
  bool request_body_sent_ = false;
  std::string& head_out_;
};

}  // namespace gatehouse::proxy
