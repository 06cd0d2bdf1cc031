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

ApiError response_body_error(const RelayResult& relayed, std::string_view api_label) {
  switch (relayed.outcome) {
    case RelayResult::Outcome::bad_framing:
      if (relayed.error) return *relayed.error;  // the response parser's 502
      break;
    case RelayResult::Outcome::source_timeout:
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

asio::awaitable<std::unique_ptr<UpstreamConnection>> UpstreamCall::connect(
    const Endpoint& endpoint, const EndpointGroup& group, bool& timed_out) {
  ConnectResult connected = co_await connect_endpoint(endpoint, group, watchdog_);
  timed_out = connected.timed_out;
  if (!connected.stream) co_return nullptr;
  auto connection = std::make_unique<UpstreamConnection>(std::move(*connected.stream), endpoint.key,
                                                         worker_.metrics());
  if (endpoint.tls) connection->tls_context = group.tls;
  co_return connection;
}

asio::awaitable<UpstreamCall::Outcome> UpstreamCall::send_request(const http::RequestHead& head,
                                                                  pipeline::Exchange& exchange,
                                                                  RequestBody body,
                                                                  bool client_tls) {
  Outcome outcome;
  const CompiledApi& api = *exchange.api;
  const EndpointGroup& group = endpoint_group(exchange);
  EndpointOrder candidates;
  view_.selector.order(api, group, Clock::now(), candidates);
  const bool may_retry = idempotent(head.method);
  std::optional<ApiError> last_error;

  for (size_t i = 0; i < candidates.size(); ++i) {
    const Endpoint& endpoint = *candidates[i];
    EndpointHealth& health = view_.selector.health(endpoint);
    bool fresh_only = false;
    for (;;) {
      const bool has_body = head.framing != http::BodyFraming::none;
      connection_ = fresh_only ? nullptr : worker_.pool().take(endpoint.key, has_body);
      const bool reused = connection_ != nullptr;
      if (!reused) {
        bool timed_out = false;
        connection_ = co_await connect(endpoint, group, timed_out);
        if (!connection_) {
          worker_.metrics().upstream_connect_failed(api.metrics_id);
          health.record_failure(group.suspension, Clock::now());
          last_error = timed_out ? errors::backend_timeout(api.label)
                                 : errors::backend_unavailable(api.label);
          break;
        }
      }
      exchange.upstream = endpoint.authority;
      const Attempt attempt =
          co_await exchange_with(endpoint, reused, head, exchange, body, client_tls, outcome);
      if (attempt == Attempt::retry_fresh) {
        fresh_only = true;  // a pooled connection had been closed by the backend meanwhile
        continue;
      }
      if (attempt == Attempt::done) health.record_success();
      co_return outcome;
    }
    if (!may_retry) break;
  }
  outcome.kind = Outcome::backend_error;
  outcome.error = last_error.value_or(errors::backend_unavailable(api.label));
  co_return outcome;
}

asio::awaitable<UpstreamCall::Attempt> UpstreamCall::exchange_with(
    const Endpoint& endpoint, bool reused, const http::RequestHead& head,
    pipeline::Exchange& exchange, RequestBody& body, bool client_tls, Outcome& outcome) {
  const CompiledApi& api = *exchange.api;
  const EndpointGroup& group = endpoint_group(exchange);
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
      if (reused) co_return Attempt::retry_fresh;
      outcome.kind = Outcome::backend_error;
      outcome.error = errors::bad_gateway("The backend closed the connection.");
      co_return Attempt::failed;
    }
  } else {
    if (head.expect_continue && body.buffer.empty()) {
      watchdog_.arm(body.client, limits.body_timeout);
      if (net::IoResult sent = co_await body.client.write(asio::buffer(continue_line));
          sent.error) {
        outcome.kind = Outcome::client_failed;
        co_return Attempt::failed;
      }
    }
    // The head leaves with the first body bytes, in one write.
    const TrailerFilter trailers(head.headers, exchange.request_edits, &api.forwarding);
    RelayResult relayed = co_await relay_body(
        body.parser, RelaySource{body.client, body.buffer, body.head_length, limits.body_timeout},
        RelaySink{&upstream, head.framing, limits.body_timeout, asio::buffer(head_out_), &trailers},
        watchdog_, api.max_body_bytes, worker_.body_pieces());
    sent_at = Clock::now();
    exchange.bytes_received = relayed.bytes;
    switch (relayed.outcome) {
      case RelayResult::Outcome::complete:
        break;
      case RelayResult::Outcome::source_closed:
        outcome.kind = Outcome::client_failed;
        co_return Attempt::failed;
      case RelayResult::Outcome::source_timeout:
        outcome.kind = Outcome::client_error;
        outcome.error = errors::request_timeout();
        co_return Attempt::failed;
      case RelayResult::Outcome::bad_framing:
        outcome.kind = Outcome::client_error;
        outcome.error = relayed.error;
        co_return Attempt::failed;
      case RelayResult::Outcome::too_large:
        outcome.kind = Outcome::client_error;
        outcome.error = errors::payload_too_large(api.max_body_bytes);
        co_return Attempt::failed;
      case RelayResult::Outcome::sink_failed:
        outcome.kind = Outcome::backend_error;
        outcome.error = errors::bad_gateway("The backend stopped reading the request body.");
        co_return Attempt::failed;
    }
  }
  outcome.request_body_sent = true;

  bool timed_out = false;
  bool nothing_received = false;
  std::optional<ApiError> error;
  if (co_await read_response_head(group, head.method, timed_out, nothing_received, error)) {
    exchange.backend_latency = Clock::now() - sent_at;
    co_return Attempt::done;
  }
  connection_.reset();
  // A request is sent again only whole: with no body, or one still in hand.
  if (reused && nothing_received && (head.framing == http::BodyFraming::none || buffered)) {
    co_return Attempt::retry_fresh;
  }
  if (timed_out) {
    view_.selector.health(endpoint).record_failure(group.suspension, Clock::now());
  }
  outcome.kind = Outcome::backend_error;
  outcome.error = timed_out ? errors::backend_timeout(api.label) : *error;
  co_return Attempt::failed;
}

asio::awaitable<bool> UpstreamCall::read_response_head(const EndpointGroup& group,
                                                       std::string_view method, bool& timed_out,
                                                       bool& nothing_received,
                                                       std::optional<ApiError>& error) {
  const auto& limits = view_.snapshot->config.limits;
  const http::ParserLimits parser_limits{limits.max_header_bytes * 4, limits.max_headers * 2,
                                         limits.max_uri_length};
  net::Stream& upstream = connection_->stream;
  ResponseScratch& scratch = connection_->scratch();
  net::ByteBuffer& buffer = scratch.buffer;
  http::ResponseHead& response = scratch.response;
  buffer.restart();
  watchdog_.arm(upstream, group.response_timeout);
  nothing_received = true;
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
          error = errors::bad_gateway("The backend sent an invalid response: " +
                                      parsed.error->description);
          co_return false;
        }
      }
      size_t room = 0;
      char* into = buffer.prepare(2048, room);
      net::IoResult read = co_await upstream.read_some(into, room);
      if (read.error) {
        timed_out = watchdog_.expired();
        error = errors::bad_gateway("The backend closed the connection without a response.");
        co_return false;
      }
      nothing_received = false;
      buffer.commit(read.bytes);
    }
    // Interim responses (100 Continue, 103 Early Hints) are not forwarded: the gateway answers
    // Expect itself, and hints are optional.
    if (response.status >= 100 && response.status < 200) {
      if (response.status == 101) {
        error = errors::bad_gateway("The backend switched protocols, which is not supported.");
        co_return false;
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
  co_return true;
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
                  response_timeout},
      RelaySink{&client, to_client, limits.body_timeout, asio::buffer(head), &trailers}, watchdog_,
      0, worker_.body_pieces());
  reusable_ = relayed.outcome == RelayResult::Outcome::complete;
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
