#include "proxy/client_session.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>

#include <charconv>

#include "http/parser.h"
#include "net/byte_buffer.h"
#include "net/recycler.h"
#include "net/tls.h"
#include "proxy/body_relay.h"
#include "proxy/head_writer.h"
#include "proxy/upstream_call.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;

// The state of one exchange, alive from the request head to the end of the response.
struct ClientSession::Request {
  Request(http::RequestHead& reused_head, ExchangeStorage& storage) : run(reused_head, storage) {}

  ExchangeRun run;
  http::RequestParser* parser = nullptr;
  size_t head_length = 0;
  bool body_unread = false;  // the request body is still on the wire: the connection must close
};

struct SessionScratch {
  static constexpr size_t buffer_size = 4096;

  net::ByteBuffer buffer{buffer_size};
  std::optional<http::RequestParser> parser;
  http::ParserLimits parser_limits;
  http::RequestHead head;     // its header vector keeps its capacity
  std::string head_out;       // every head written toward the client
  std::string upstream_head;  // every head written toward a backend
  std::string request_id;     // lent to each exchange for its request id
  // The exchange in progress. Kept here rather than in serve_one's coroutine frame, which it
  // would take past the size Asio recycles (frames over 1020 bytes are malloc'd every time).
  std::optional<ClientSession::Request> request;
  // After `request`, so destroyed before it: the policies' states end while the snapshot that
  // holds their chain is still alive.
  ExchangeStorage exchange_storage;
};

namespace {
// Enough for every connection that is busy at once on a worker under a benchmark's load; more
// idle scratch than this is freed.
using ScratchRecycler = net::Recycler<SessionScratch, 128>;

// Up to this many idle keep-alive connections per worker keep their scratch and wait for the
// next request with a read straight into their buffer: a syscall and an operation fewer per
// request than waiting for readability first and taking scratch after. Beyond it, idle
// connections hand their scratch back, so memory stays bounded however many clients idle.
constexpr size_t max_idle_keeping_scratch = 256;
}  // namespace

ClientSession::ClientSession(WorkerContext& worker, net::Stream stream,
                             const ListenerInfo& listener)
    : worker_(worker),
      stream_(std::move(stream)),
      listener_(listener),
      runner_(worker, listener),
      watchdog_(stream_.socket().get_executor()) {
  net::error_code error;
  const auto peer = stream_.socket().remote_endpoint(error);
  if (!error) client_address_ = peer.address().to_string();
  worker_.add_session(this);
  worker_.metrics().connection_accepted();
}

ClientSession::~ClientSession() {
  stop_keeping_idle_scratch();
  watchdog_.stop();
  if (scratch_ && scratch_->buffer.empty()) release_scratch();
  worker_.remove_session(this);
  worker_.metrics().connection_closed();
}

void ClientSession::close_if_idle() {
  if (idle_) stream_.cancel();
}

void ClientSession::start(WorkerContext& worker, net::Stream stream, const ListenerInfo& listener) {
  resume(std::unique_ptr<ClientSession>(new ClientSession(worker, std::move(stream), listener)));
}

void ClientSession::resume(std::unique_ptr<ClientSession> self) {
  ClientSession& session = *self;  // stays put while `self` moves into the handler
  asio::co_spawn(session.stream_.socket().get_executor(), session.serve(),
                 [self = std::move(self)](std::exception_ptr, bool idle) mutable {
                   if (idle) wait_idle(std::move(self));
                 });
}

void ClientSession::wait_idle(std::unique_ptr<ClientSession> self) {
  ClientSession& session = *self;
  session.stream_.wait_readable([self = std::move(self)](net::error_code error, size_t) mutable {
    if (error) {
      self->stream_.shutdown();
      return;
    }
    resume(std::move(self));
  });
}

asio::awaitable<bool> ClientSession::serve() {
  // Limits are read from the current snapshot each time: a reload may replace it meanwhile.
  auto limits = [this]() -> const config::LimitsConfig& {
    return worker_.view()->snapshot->config.limits;
  };
  if (stream_.is_tls() && !tls_) {  // not handshaken yet
    watchdog_.arm(stream_, limits().header_timeout);
    if (co_await stream_.handshake_server()) {
      stream_.close();
      co_return false;
    }
    const net::PeerCertificate peer = net::peer_certificate(stream_.native_tls());
    tls_ = std::make_unique<pipeline::ClientTls>(
        pipeline::ClientTls{peer.verified, peer.subject, peer.issuer, peer.der});
  }
  After after = After::close;
  while ((after = co_await serve_one()) == After::keep_alive && !worker_.draining()) {
    if (scratch_->buffer.empty() && !stream_.is_tls()) {
      size_t& keeping = worker_.idle_sessions_keeping_scratch();
      if (keeping < max_idle_keeping_scratch) {
        ++keeping;
        keeps_idle_scratch_ = true;
        continue;
      }
      // Between requests, a keep-alive connection holds no read buffer, parser or head storage:
      // thousands of idle clients then cost little more than their sockets. A connection whose
      // next request follows at once takes the same warm state back from the free list.
      release_scratch();
      idle_ = true;
      watchdog_.arm(stream_, limits().keepalive_timeout);
      co_return true;
    }
  }
  if (after == After::linger) co_await linger();
  stream_.shutdown();
  co_return false;
}

asio::awaitable<void> ClientSession::linger() {
  // The client may still be sending the body we answered without reading. Closing with its bytes
  // unread makes the kernel reset the connection, and a reset can destroy our response before
  // the client has read it. So: send FIN, then read and discard until the client closes too, for
  // a bounded time (the deadline is set once and not moved by the reads).
  stream_.shutdown_send();
  watchdog_.arm(stream_, linger_time);
  net::ByteBuffer& buffer = scratch_->buffer;
  for (;;) {
    buffer.consume(buffer.size());
    buffer.restart();
    size_t room = 0;
    char* into = buffer.prepare(1024, room);
    const net::IoResult read = co_await stream_.read_some(into, room);
    if (read.error) co_return;
  }
}

void ClientSession::stop_keeping_idle_scratch() {
  if (!keeps_idle_scratch_) return;
  keeps_idle_scratch_ = false;
  --worker_.idle_sessions_keeping_scratch();
}

void ClientSession::release_scratch() {
  // When a connection ends mid-exchange: its policies' states end, and no snapshot is kept in
  // the free list.
  scratch_->exchange_storage.states.end();
  scratch_->request.reset();
  if (scratch_->buffer.capacity() != SessionScratch::buffer_size) {
    // A body made it grow: the free list keeps buffers of one size only.
    scratch_->buffer = net::ByteBuffer(SessionScratch::buffer_size);
  }
  ScratchRecycler::give_back(std::move(scratch_));
}

// The coroutines below keep their own locals few: every local of a coroutine lives in its frame,
// and Asio recycles frames only up to 1020 bytes. Work that does not wait is done by plain
// functions, whose locals live on the stack.

ClientSession::Request& ClientSession::start_request() {
  if (!scratch_) scratch_ = ScratchRecycler::take();
  SessionScratch& scratch = *scratch_;
  // The head is reused for its header vector's capacity; nothing else of the last one stays.
  std::vector<http::Header> headers = std::move(scratch.head.headers);
  scratch.head = http::RequestHead{};
  scratch.head.headers = std::move(headers);
  Request& request = scratch.request.emplace(scratch.head, scratch.exchange_storage);
  request.run.view = worker_.view();
  const config::LimitsConfig& limits = request.run.view->snapshot->config.limits;
  const http::ParserLimits parser_limits{limits.max_header_bytes, limits.max_headers,
                                         limits.max_uri_length};
  if (!scratch.parser || scratch.parser_limits != parser_limits) {
    scratch.parser.emplace(parser_limits);
    scratch.parser_limits = parser_limits;
  } else {
    scratch.parser->reset();
  }
  request.parser = &*scratch.parser;
  scratch.buffer.restart();
  pipeline::Exchange& exchange = request.run.exchange;
  exchange.client_address = client_address_;
  exchange.client_tls = listener_.tls;
  exchange.tls = tls_.get();
  exchange.listener = listener_.name;
  // The request id's storage comes from the scratch, and goes back to it in end_request().
  exchange.request_id = std::move(scratch.request_id);
  return request;
}

void ClientSession::end_request() {
  SessionScratch& scratch = *scratch_;
  scratch.request_id = std::move(scratch.request->run.exchange.request_id);
  scratch.request.reset();
}

ClientSession::HeadProgress ClientSession::parse_head(Request& request) {
  net::ByteBuffer& buffer = scratch_->buffer;
  if (buffer.empty()) return HeadProgress::need_more;
  http::HeadResult parsed = request.parser->parse_head(buffer.readable(), request.run.head);
  if (parsed.status == http::ParseStatus::need_more) return HeadProgress::need_more;
  request.run.exchange.started = pipeline::Exchange::Clock::now();
  if (parsed.status == http::ParseStatus::error) {
    set_error(request, *parsed.error);
    return HeadProgress::refused;
  }
  request.head_length = parsed.consumed;
  // A request is served by the snapshot current when its head arrived: a connection that began
  // waiting for it before a reload must not route it by the old config.
  if (request.run.view != worker_.view()) request.run.view = worker_.view();
  // The body passes through the window after the head; make room now, while moving the head
  // is still harmless (parse it again where it now is).
  if (body_needs_reads(request.run.head.framing, request.run.head.content_length,
                       buffer.size() - request.head_length) &&
      buffer.reserve(request.head_length + body_buffer_room)) {
    request.parser->reset();
    request.parser->parse_head(buffer.readable(), request.run.head);
  }
  buffer.consume(request.head_length);
  // An empty body (Content-Length: 0, as many clients send on OPTIONS or an empty POST) leaves
  // nothing on the wire: an answer that does not read it can keep the connection.
  request.body_unread = request.run.head.framing == http::BodyFraming::chunked ||
                        (request.run.head.framing == http::BodyFraming::content_length &&
                         request.run.head.content_length > 0);
  return HeadProgress::done;
}

asio::awaitable<After> ClientSession::serve_one() {
  Request& request = start_request();
  // Copies: parse_head() may move the request to a newer snapshot.
  const auto keepalive_timeout = request.run.view->snapshot->config.limits.keepalive_timeout;
  const auto header_timeout = request.run.view->snapshot->config.limits.header_timeout;
  net::ByteBuffer& buffer = scratch_->buffer;
  idle_ = buffer.empty();
  watchdog_.arm(stream_, idle_ && !first_request_ ? keepalive_timeout : header_timeout);
  HeadProgress progress;
  while ((progress = parse_head(request)) == HeadProgress::need_more) {
    if (worker_.draining() && buffer.empty()) {
      end_request();
      co_return After::close;
    }
    size_t room = 0;
    char* into = buffer.prepare(1024, room);
    const net::IoResult read = co_await stream_.read_some(into, room);
    stop_keeping_idle_scratch();
    if (read.error) {
      if (!watchdog_.expired() || buffer.empty()) {
        end_request();
        co_return After::close;  // an idle connection timed out or the client left
      }
      request.run.exchange.started = pipeline::Exchange::Clock::now();
      set_error(request, errors::request_timeout());
      progress = HeadProgress::refused;
      break;
    }
    buffer.commit(read.bytes);
    if (idle_) {
      idle_ = false;
      watchdog_.arm(stream_, header_timeout);
    }
  }
  first_request_ = false;
  const After after = co_await runner_.run(request.run, *this);
  end_request();
  co_return after;
}

void ClientSession::set_error(Request& request, const ApiError& error) {
  request.run.exchange.local_response = pipeline::LocalResponse::from_error(error);
}

asio::awaitable<BodyRead> ClientSession::read_body(ExchangeRun& run, uint64_t limit) {
  Request& request = *scratch_->request;
  if (run.head.framing == http::BodyFraming::none) co_return BodyRead::complete;
  if (run.head.framing == http::BodyFraming::content_length && run.head.content_length > limit) {
    set_error(request, errors::payload_too_large(limit));  // before a 100 Continue invites it
    co_return BodyRead::refused;
  }
  const auto body_timeout = run.view->snapshot->config.limits.body_timeout;
  net::ByteBuffer& buffer = scratch_->buffer;
  if (run.head.expect_continue && buffer.empty()) {
    // The client waits for our word before it sends the body; the backend will get it whole.
    watchdog_.arm(stream_, body_timeout);
    const net::IoResult sent = co_await stream_.write(asio::buffer(continue_line));
    if (sent.error) co_return BodyRead::client_gone;
  }
  const RelayResult read = co_await relay_body(
      *request.parser,
      RelaySource{stream_, buffer, request.head_length, body_timeout, ErrorSource::client},
      RelaySink{.collect = &run.storage.request_body}, watchdog_, limit, worker_.body_pieces());
  run.exchange.bytes_received = read.bytes;
  if (!read.error) {
    request.body_unread = false;
    co_return BodyRead::complete;
  }
  if (read.error->client_gone()) co_return BodyRead::client_gone;
  set_error(request, read.error->answer());  // 400, 408, 413
  co_return BodyRead::refused;
}

asio::awaitable<After> ClientSession::forward(ExchangeRun& run) {
  Request& request = *scratch_->request;
  pipeline::Exchange& exchange = run.exchange;
  SessionScratch& scratch = *scratch_;
  UpstreamCall call(worker_, *run.view, watchdog_, scratch.upstream_head);
  auto sent = co_await call.send_request(
      request.run.head, *run.api, exchange,
      RequestBody{*request.parser, stream_, scratch.buffer, request.head_length}, listener_.tls);
  if (call.request_body_sent()) request.body_unread = false;
  if (!sent) {
    if (sent.error().client_gone()) co_return After::close;
    set_error(request, sent.error().answer());
    co_return co_await runner_.answer_locally(run, *this);
  }

  // The response head is in; response policies see it before the client does.
  const http::ResponseHead& response = call.response_head();
  exchange.response = &response;
  exchange.status = response.status;
  co_await runner_.response_phase(run);

  const bool head_request = request.run.head.method == "HEAD";
  ResponseHeadPlan plan;
  plan.keep_alive = request.run.head.keep_alive && !worker_.draining();
  plan.framing = response.framing;
  plan.content_length = response.content_length;
  if (response.framing == http::BodyFraming::until_close) {
    if (request.run.head.version_minor >= 1) {
      plan.framing = http::BodyFraming::chunked;
    } else {
      plan.keep_alive = false;
    }
  } else if (response.framing == http::BodyFraming::chunked &&
             request.run.head.version_minor == 0) {
    plan.framing = http::BodyFraming::none;
    plan.keep_alive = false;
  }
  if (head_request && response.framing == http::BodyFraming::none) {
    // A HEAD response keeps the backend's Content-Length, which describes the GET's body.
    if (const http::Header* length = http::find_header(response.headers, "content-length")) {
      plan.framing = http::BodyFraming::content_length;
      std::from_chars(length->value.data(), length->value.data() + length->value.size(),
                      plan.content_length);
    }
  }
  const std::string& head_out = scratch.head_out;
  write_response_head(scratch.head_out, response, exchange, plan);
  if (response.framing == http::BodyFraming::none) {
    const asio::const_buffer out(head_out.data(), head_out.size());
    if (!co_await write_client({&out, 1})) co_return After::close;
  } else {
    RelayResult relayed =
        co_await call.relay_response(stream_, head_out, plan.framing, exchange.response_edits);
    exchange.bytes_sent = relayed.bytes;
    if (relayed.error) {
      if (relayed.error->client_gone()) co_return After::close;
      if (!relayed.sink_written) {
        // Nothing reached the client: it gets the gateway's error, as if the response head had
        // been bad, rather than an empty reply.
        exchange.response = nullptr;
        exchange.response_edits = {};
        set_error(request, response_body_answer(*relayed.error, run.api->label));
        co_return co_await runner_.answer_locally(run, *this);
      }
      // Part of the response went out: a reset, so that the client cannot take it for all.
      stream_.abort();
      co_return After::close;
    }
  }
  call.release();
  if (request.body_unread) co_return After::linger;
  co_return plan.keep_alive ? After::keep_alive : After::close;
}

asio::awaitable<After> ClientSession::send_local(ExchangeRun& run) {
  Request& request = *scratch_->request;
  pipeline::Exchange& exchange = run.exchange;
  const bool keep_alive = may_keep_alive(request) && !worker_.draining();
  std::string& head_out = scratch_->head_out;
  write_local_response(head_out, *exchange.local_response, exchange, keep_alive,
                       request.run.head.method == "HEAD");
  exchange.bytes_sent = exchange.local_response->body.size();
  const asio::const_buffer out(head_out.data(), head_out.size());
  const bool written = co_await write_client({&out, 1});
  if (!written) co_return After::close;
  if (keep_alive) co_return After::keep_alive;
  co_return request.body_unread || !head_consumed(request) ? After::linger : After::close;
}

bool ClientSession::head_consumed(const Request& request) {
  return request.head_length != 0;
}

bool ClientSession::may_keep_alive(const Request& request) {
  // A refused head was not consumed: its bytes are still first in the buffer and its end on the
  // wire is unknown, so a next round on this connection would parse the same bytes and answer
  // them again, without end. Whatever the status, that connection closes.
  if (!head_consumed(request) || request.body_unread || !request.run.head.keep_alive) return false;
  // Nor after a request whose framing is suspect (400, 413, 414, 431), a client too slow (408),
  // or a failure of the gateway or the backend (5xx).
  const int status = request.run.exchange.status;
  return status < 500 && status != 400 && status != 408 && status != 413 && status != 414 &&
         status != 431;
}

asio::awaitable<bool> ClientSession::write_client(std::span<const asio::const_buffer> buffers) {
  watchdog_.arm(stream_, worker_.view()->snapshot->config.limits.body_timeout);
  net::IoResult written = co_await stream_.write(buffers);
  co_return !written.error;
}

}  // namespace gatehouse::proxy
