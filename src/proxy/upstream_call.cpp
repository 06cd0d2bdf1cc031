#include "proxy/upstream_call.h"

#include "proxy/endpoint_connector.h"
#include "proxy/head_writer.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;

namespace {

// RFC 9110 9.2.2: methods whose request may be sent again without changing the outcome.
bool idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE" || method == "TRACE";
}

}  // namespace

ApiError response_body_answer(const Error& relay_error, std::string_view api_label) {
  switch (relay_error.kind()) {
    case ErrorKind::bad_request:
    case ErrorKind::bad_response:
      return relay_error.answer();  // the response parser's
    case ErrorKind::timeout:
      return errors::backend_timeout(api_label);
    default:
      break;
  }
  return errors::bad_gateway("The backend closed the connection before the end of the response.");
}

UpstreamCall::UpstreamCall(WorkerContext& worker, WorkerView& view, net::Watchdog& watchdog,
                           std::string& head_out)
    : worker_(worker), view_(view), watchdog_(watchdog), head_out_(head_out) {}

void UpstreamCall::start_response_parser(const http::ParserLimits& limits,
                                         std::string_view method) {
  // Parsers come with the scratch state and are reused: no allocation per response.
  ResponseScratch& scratch = connection_->scratch();
  if (!scratch.parser || scratch.parser_limits != limits) {
    scratch.parser.emplace(limits, method);
    scratch.parser_limits = limits;
  } else {
    scratch.parser->reset(method);
  }
  parser_ = &*scratch.parser;
  std::vector<http::Header> headers = std::move(scratch.response.headers);
  scratch.response = http::ResponseHead{};
  scratch.response.headers = std::move(headers);
}

UpstreamCall::~UpstreamCall() = default;

asio::awaitable<std::expected<std::unique_ptr<UpstreamConnection>, Error>> UpstreamCall::connect(
    const snapshot::Endpoint& endpoint, const snapshot::EndpointGroup& group,
    std::string_view api_label) {
  auto connected = co_await connect_endpoint(endpoint, group, watchdog_);
  if (!connected) {
    Error& error = connected.error();
    // A refused connect, an unknown name or a failed handshake alike: the backend is unavailable.
    if (error.kind() == ErrorKind::timeout) {
      error.answer_with(errors::backend_timeout(api_label));
    } else {
      error.answer_with(errors::backend_unavailable(api_label));
    }
    co_return std::unexpected(std::move(error));
  }
  auto connection =
      std::make_unique<UpstreamConnection>(std::move(*connected), endpoint.key, worker_.metrics());
  if (endpoint.tls) connection->tls_context = group.tls;
  co_return connection;
}

asio::awaitable<std::expected<void, Error>> UpstreamCall::send_request(
    const http::RequestHead& head, const snapshot::CompiledApi& api, pipeline::Exchange& exchange,
    RequestBody body, bool client_tls) {
  const snapshot::EndpointGroup& group = api.endpoint_group(exchange.endpoints);
  EndpointOrder candidates;
  view_.selector.order(api, group, Clock::now(), candidates);
  const bool may_retry = idempotent(head.method);
  std::optional<Error> last_error;

  for (size_t i = 0; i < candidates.size(); ++i) {
    const snapshot::Endpoint& endpoint = *candidates[i];
    EndpointHealth& health = view_.selector.health(endpoint);
    bool fresh_only = false;
    for (;;) {
      const bool has_body = head.framing != http::BodyFraming::none;
      connection_ = fresh_only ? nullptr : worker_.pool().take(endpoint.key, has_body);
      const bool reused = connection_ != nullptr;
      if (!reused) {
        auto connected = co_await connect(endpoint, group, api.label);
        if (!connected) {
          worker_.metrics().upstream_connect_failed(api.metrics_id);
          health.record_failure(group.suspension, Clock::now());
          last_error = std::move(connected.error());
          break;
        }
        connection_ = std::move(*connected);
      }
      exchange.upstream = endpoint.authority;
      auto sent = co_await exchange_with(endpoint, reused, head, api, exchange, body, client_tls);
      if (!sent && sent.error().retryable()) {
        fresh_only = true;  // a pooled connection had been closed by the backend meanwhile
        continue;
      }
      if (sent) health.record_success();
      co_return sent;
    }
    // Nothing was sent to this endpoint: an idempotent request may go to the next.
    if (!may_retry || !last_error->retryable()) break;
  }
  if (last_error) co_return std::unexpected(std::move(*last_error));
  co_return std::unexpected(Error(ErrorKind::unreachable, ErrorSource::backend,
                                  errors::backend_unavailable(api.label), "no endpoint to try"));
}

asio::awaitable<std::expected<void, Error>> UpstreamCall::exchange_with(
    const snapshot::Endpoint& endpoint, bool reused, const http::RequestHead& head,
    const snapshot::CompiledApi& api, pipeline::Exchange& exchange, RequestBody& body,
    bool client_tls) {
  const snapshot::EndpointGroup& group = api.endpoint_group(exchange.endpoints);
  const auto& limits = view_.snapshot->config.limits;
  RequestHeadPlan plan;
  plan.endpoint = &endpoint;
  plan.forwarding = &api.forwarding;
  plan.path =
      exchange.rewritten_path ? std::string_view(*exchange.rewritten_path) : exchange.resource_path;
  plan.client_tls = client_tls;
  plan.framing = head.framing;
  plan.content_length = head.content_length;
  // A body a policy read whole goes on in one piece, with its length (de-chunked, so without
  // trailers).
  const bool buffered = exchange.request_body && head.framing != http::BodyFraming::none;
  if (buffered) {
    plan.framing = http::BodyFraming::content_length;
    plan.content_length = exchange.request_body->size();
  }
  write_request_head(head_out_, head, exchange, plan);

  net::Stream& upstream = connection_->stream;
  auto sent_at = Clock::now();
  if (head.framing == http::BodyFraming::none || buffered) {
    watchdog_.arm(upstream, limits.body_timeout);
    const std::array<asio::const_buffer, 2> message{
        asio::buffer(head_out_), asio::buffer(exchange.request_body.value_or(std::string_view()))};
    net::IoResult written = co_await upstream.write(std::span(message.data(), buffered ? 2 : 1));
    if (written.error) {
      connection_.reset();
      // On a pooled connection: the backend closed it meanwhile, and the request is still whole.
      co_return std::unexpected(Error(ErrorKind::closed, ErrorSource::backend,
                                      errors::bad_gateway("The backend closed the connection."),
                                      endpoint.authority, written.error.message())
                                    .set_retryable(reused));
    }
  } else {
    if (head.expect_continue && body.buffer.empty()) {
      watchdog_.arm(body.client, limits.body_timeout);
      if (net::IoResult sent = co_await body.client.write(asio::buffer(continue_line));
          sent.error) {
        co_return std::unexpected(
            Error(ErrorKind::closed, ErrorSource::client, "100 Continue", sent.error.message()));
      }
    }
    // The head leaves with the first body bytes, in one write.
    const TrailerFilter trailers(head.headers, exchange.request_edits, &api.forwarding);
    RelayResult relayed =
        co_await relay_body(body.parser,
                            RelaySource{body.client, body.buffer, body.head_length,
                                        limits.body_timeout, ErrorSource::client},
                            RelaySink{&upstream, ErrorSource::backend, head.framing,
                                      limits.body_timeout, asio::buffer(head_out_), &trailers},
                            watchdog_, api.max_body_bytes, worker_.body_pieces());
    sent_at = Clock::now();
    exchange.bytes_received = relayed.bytes;
    if (relayed.error) {
      if (relayed.error->source() == ErrorSource::backend) {
        relayed.error->answer_with(
            errors::bad_gateway("The backend stopped reading the request body."));
      }
      co_return std::unexpected(std::move(*relayed.error));
    }
  }
  request_body_sent_ = true;

  auto response = co_await read_response_head(group, head.method);
  if (response) {
    exchange.backend_latency = Clock::now() - sent_at;
    co_return response;
  }
  connection_.reset();
  Error& error = response.error();
  // A request is sent again only whole: with no body, or one still in hand.
  if (reused && error.retryable() && (head.framing == http::BodyFraming::none || buffered)) {
    co_return std::move(response);
  }
  error.set_retryable(false);
  if (error.kind() == ErrorKind::timeout) {
    view_.selector.health(endpoint).record_failure(group.suspension, Clock::now());
    error.answer_with(errors::backend_timeout(api.label));
  }
  co_return std::move(response);
}

asio::awaitable<std::expected<void, Error>> UpstreamCall::read_response_head(
    const snapshot::EndpointGroup& group, std::string_view method) {
  const auto& limits = view_.snapshot->config.limits;
  const http::ParserLimits parser_limits{limits.max_header_bytes * 4, limits.max_headers * 2,
                                         limits.max_uri_length};
  net::Stream& upstream = connection_->stream;
  ResponseScratch& scratch = connection_->scratch();
  net::ByteBuffer& buffer = scratch.buffer;
  http::ResponseHead& response = scratch.response;
  buffer.restart();
  watchdog_.arm(upstream, group.response_timeout);
  bool nothing_received = true;
  for (;;) {
    start_response_parser(parser_limits, method);
    for (;;) {
      if (!buffer.empty()) {
        http::HeadResult parsed = parser_->parse_head(buffer.readable(), response);
        if (parsed.status == http::ParseStatus::done) {
          response_head_length_ = parsed.consumed;
          break;
        }
        if (parsed.status == http::ParseStatus::error) {
          co_return std::unexpected(
              Error(ErrorKind::bad_response, ErrorSource::backend,
                    errors::bad_gateway("The backend sent an invalid response: " +
                                        parsed.error->description),
                    connection_->key));
        }
      }
      size_t room = 0;
      char* into = buffer.prepare(2048, room);
      net::IoResult read = co_await upstream.read_some(into, room);
      if (read.error) {
        const ErrorKind kind = watchdog_.expired() ? ErrorKind::timeout : ErrorKind::closed;
        co_return std::unexpected(
            Error(kind, ErrorSource::backend,
                  errors::bad_gateway("The backend closed the connection without a response."),
                  connection_->key, read.error.message())
                .set_retryable(nothing_received));
      }
      nothing_received = false;
      buffer.commit(read.bytes);
    }
    // Interim responses (100 Continue, 103 Early Hints) are not forwarded: the gateway answers
    // Expect itself, and hints are optional.
    if (response.status >= 100 && response.status < 200) {
      if (response.status == 101) {
        co_return std::unexpected(
            Error(ErrorKind::bad_response, ErrorSource::backend,
                  errors::bad_gateway("The backend switched protocols, which is not supported."),
                  connection_->key));
      }
      buffer.consume(response_head_length_);
      buffer.restart();
      continue;
    }
    break;
  }
  if (body_needs_reads(response.framing, response.content_length,
                       buffer.size() - response_head_length_) &&
      buffer.reserve(response_head_length_ + body_buffer_room)) {
    start_response_parser(parser_limits, method);
    parser_->parse_head(buffer.readable(), response);
  }
  buffer.consume(response_head_length_);
  co_return std::expected<void, Error>();
}

asio::awaitable<RelayResult> UpstreamCall::relay_response(net::Stream& client,
                                                          std::string_view head,
                                                          http::BodyFraming to_client,
                                                          const http::HeaderEdits& edits) {
  const auto& limits = view_.snapshot->config.limits;
  const auto response_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(limits.body_timeout);
  const TrailerFilter trailers(connection_->scratch().response.headers, edits, nullptr);
  RelayResult relayed = co_await relay_body(
      *parser_,
      RelaySource{connection_->stream, connection_->scratch().buffer, response_head_length_,
                  response_timeout, ErrorSource::backend},
      RelaySink{&client, ErrorSource::client, to_client, limits.body_timeout, asio::buffer(head),
                &trailers},
      watchdog_, 0, worker_.body_pieces());
  reusable_ = !relayed.error;
  co_return relayed;
}

void UpstreamCall::release() {
  if (!connection_) return;
  const ResponseScratch& scratch = connection_->scratch();
  const bool bodiless = scratch.response.framing == http::BodyFraming::none;
  // A backend sends nothing unasked: bytes after the response mean it cannot be trusted again.
  if ((reusable_ || bodiless) && scratch.response.keep_alive && scratch.buffer.empty() &&
      scratch.response.framing != http::BodyFraming::until_close) {
    worker_.pool().give_back(std::move(connection_));
    return;
  }
  connection_.reset();
}

}  // namespace gatehouse::proxy
