#include "proxy/exchange_runner.h"

#include <algorithm>

#include "http/path_normalizer.h"
#include "observability/access_log.h"
#include "proxy/key_manager_exchange.h"
#include "routing/router.h"

namespace gatehouse::proxy {

namespace asio = boost::asio;

namespace {
// Up to this much body storage stays with a connection for its next request.
constexpr size_t kKeptBodyCapacity = 64 * 1024;
}  // namespace

// The coroutines below keep their own locals few: every local of a coroutine lives in its frame,
// and Asio recycles frames only up to 1020 bytes. Work that does not wait is done by plain
// functions, whose locals live on the stack.

asio::awaitable<After> ExchangeRunner::run(ExchangeRun& run, Downstream& downstream) {
  After after = After::close;
  if (run.exchange.local_response) {  // refused before it was routed
    after = co_await answer_locally(run, downstream);
    log(run);
    co_return after;
  }
  // Plain ifs: g++ 12 miscompiles some co_await inside a switch, and `?:` around co_await.
  const Next next = route(run);
  if (next == Next::key_manager) {
    after = co_await serve_key_manager(run, downstream);
    log(run);
    co_return after;
  }
  Requested requested = Requested::answer;
  if (next != Next::respond) requested = co_await request_phase(run, downstream);
  if (requested == Requested::drop) {
    log(run);
    co_return After::close;
  }
  if (next == Next::policies_then_forward && requested == Requested::forward) {
    after = co_await downstream.forward(run);
  } else {
    after = co_await answer_locally(run, downstream);
  }
  log(run);
  co_return after;
}

ExchangeRunner::Next ExchangeRunner::route(ExchangeRun& run) {
  pipeline::Exchange& exchange = run.exchange;
  http::RequestHead& head = run.head;
  exchange.request = &head;
  const auto id = std::find_if(head.headers.begin(), head.headers.end(), [](const http::Header& h) {
    return h.role == http::HeaderRole::x_request_id;
  });
  if (id != head.headers.end() && !id->value.empty() && id->value.size() <= 200) {
    exchange.request_id.assign(id->value);
  } else {
    worker_.new_request_id(exchange.request_id);
  }

  // From here on the request's path is its normal form: routed, authorised, logged and (after
  // the API's context) forwarded, so that the backend serves the resource that was authorised.
  auto normalized = http::normalize_path(head.path, listener_.paths, run.storage.normalized_path);
  if (!normalized) {
    exchange.local_response = pipeline::LocalResponse::from_error(normalized.error());
    return Next::respond;
  }
  head.path = *normalized;

  // The key manager's paths are its own on every host: no API may take them over.
  if (worker_.key_manager() != nullptr) {
    run.key_manager_endpoint = keymanager::Endpoints::find(head.path);
    if (run.key_manager_endpoint) return Next::key_manager;
  }

  const snapshot::Snapshot& snapshot = *run.view->snapshot;
  exchange.subscriptions = run.view->subscriptions.get();
  routing::Match match = snapshot.router.match(head.host, head.method, head.path);
  if (match.status == routing::MatchStatus::not_found) {
    const routing::Match secured =
        snapshot.secured_api_paths.match(head.host, head.method, head.path);
    if (secured.status != routing::MatchStatus::found) {
      exchange.local_response =
          pipeline::LocalResponse::from_error(errors::no_matching_resource(head.path));
      return Next::respond;
    }
    // Under a secured API: its security answers first, then 900906 (the chain ends refusing).
    run.api = snapshot.apis[secured.api].get();
    run.chain = &run.api->unmatched_chain;
    return Next::policies_then_respond;
  }
  if (match.status == routing::MatchStatus::method_not_allowed) {
    exchange.local_response =
        pipeline::LocalResponse::from_error(errors::method_not_allowed(head.method));
    exchange.local_response->headers.emplace_back("Allow", std::move(match.allow));
    if (head.method != "OPTIONS") return Next::respond;
    // An OPTIONS request still meets the API's own policies, so that CORS can answer preflights
    // for resources that do not list OPTIONS; if none answers, the 405 stands.
    run.api = snapshot.apis[match.api].get();
    run.chain = &run.api->chain;
    return Next::policies_then_respond;
  }
  const snapshot::CompiledApi& api = *snapshot.apis[match.api];
  const snapshot::CompiledResource& resource = api.resources[match.resource];
  run.api = &api;
  run.resource = &resource;
  run.chain = &resource.chain;
  exchange.resource_path = match.resource_path;
  exchange.path_params = std::move(match.params);

  if (api.max_body_bytes != 0 && head.framing == http::BodyFraming::content_length &&
      head.content_length > api.max_body_bytes) {
    exchange.local_response =
        pipeline::LocalResponse::from_error(errors::payload_too_large(api.max_body_bytes));
    return Next::respond;
  }
  return Next::policies_then_forward;
}

asio::awaitable<ExchangeRunner::Requested> ExchangeRunner::request_phase(ExchangeRun& run,
                                                                         Downstream& downstream) {
  const policies::Chain& chain = *run.chain;
  run.storage.states.begin(chain);
  for (size_t i = 0; i < chain.size(); ++i) {
    // The body is read when the first policy that needs it is reached: a caller refused by an
    // earlier phase (authentication) costs no buffering.
    if (chain[i].needs_request_body() && !run.exchange.request_body) {
      const BodyRead read = co_await read_body(run, downstream);
      if (read == BodyRead::client_gone) co_return Requested::drop;
      if (read == BodyRead::refused) co_return Requested::answer;
    }
    ++run.policies_run;
    run.exchange.policy_state = run.storage.states.start(i);
    pipeline::Verdict verdict = chain[i].on_request(run.exchange);
    if (verdict == pipeline::Verdict::wait)
      verdict = co_await chain[i].on_request_async(run.exchange);
    if (verdict == pipeline::Verdict::respond) co_return Requested::answer;
  }
  co_return Requested::forward;
}

asio::awaitable<After> ExchangeRunner::serve_key_manager(ExchangeRun& run, Downstream& downstream) {
  const keymanager::EndpointId endpoint = *run.key_manager_endpoint;
  if (keymanager::Endpoints::takes_body(endpoint) &&
      (run.head.method == "POST" || run.head.method == "PUT")) {
    const BodyRead read = co_await read_body(run, downstream);
    if (read == BodyRead::client_gone) co_return After::close;
    if (read == BodyRead::refused) co_return co_await answer_locally(run, downstream);
  }
  // Named locals, not temporaries around the co_await: g++ 12 mishandles some of those.
  const keymanager::OAuthRequest request = oauth_request(run);
  keymanager::OAuthAnswer answer = co_await worker_.key_manager()->handle(endpoint, request);
  run.exchange.local_response = local_response_of(std::move(answer));
  co_return co_await answer_locally(run, downstream);
}

asio::awaitable<BodyRead> ExchangeRunner::read_body(ExchangeRun& run, Downstream& downstream) {
  std::string& body = run.storage.request_body;
  body.clear();
  const uint64_t api_limit = run.api != nullptr ? run.api->max_body_bytes : 0;
  const uint64_t buffer_limit = run.view->snapshot->config.limits.max_buffered_body_bytes;
  const uint64_t limit = api_limit == 0 ? buffer_limit : std::min(api_limit, buffer_limit);
  const BodyRead read = co_await downstream.read_body(run, limit);
  if (read == BodyRead::complete) run.exchange.request_body = std::string_view(body);
  co_return read;
}

asio::awaitable<void> ExchangeRunner::response_phase(ExchangeRun& run) {
  for (size_t i = run.policies_run; i-- > 0;) {
    const policies::Policy& policy = (*run.chain)[i];
    run.exchange.policy_state = run.storage.states.slot(i);
    if (policy.on_response(run.exchange) == pipeline::Verdict::wait) {
      co_await policy.on_response_async(run.exchange);
    }
  }
}

asio::awaitable<After> ExchangeRunner::answer_locally(ExchangeRun& run, Downstream& downstream) {
  run.exchange.status = run.exchange.local_response->status;
  co_await response_phase(run);
  co_return co_await downstream.send_local(run);
}

void ExchangeRunner::log(ExchangeRun& run) {
  pipeline::Exchange& exchange = run.exchange;
  const auto now = pipeline::Exchange::Clock::now();
  const auto total = std::chrono::duration_cast<std::chrono::microseconds>(now - exchange.started);
  const auto backend =
      std::chrono::duration_cast<std::chrono::microseconds>(exchange.backend_latency);
  const bool backend_called = !exchange.upstream.empty();
  const snapshot::CompiledApi* api = run.api;
  worker_.metrics().request_done(api ? api->metrics_id : observability::Metrics::kUnmatched,
                                 exchange.status, total,
                                 backend_called ? std::optional(backend) : std::nullopt);
  for (size_t i = 0; i < run.policies_run; ++i) {
    exchange.policy_state = run.storage.states.slot(i);
    (*run.chain)[i].on_log(exchange);
  }
  run.storage.states.end();
  // A large body's storage is not kept for the connection's next requests (nor in the free list
  // of idle scratch).
  if (run.storage.request_body.capacity() > kKeptBodyCapacity) {
    std::string().swap(run.storage.request_body);
  }
  if (observability::AccessLog::Writer* log = worker_.access_log()) {
    observability::AccessRecord record;
    // The time the request arrived, as the field means; the clocks differ, the durations don't.
    record.time =
        std::chrono::system_clock::now() -
        std::chrono::duration_cast<std::chrono::system_clock::duration>(now - exchange.started);
    if (api != nullptr) {
      record.api = api->name;
      record.api_version = api->version;
    }
    if (run.resource != nullptr) record.resource = run.resource->path;
    record.method = run.head.method;
    record.path = run.head.path;
    record.request_id = exchange.request_id;
    record.client_ip = exchange.client_address;
    record.upstream = exchange.upstream;
    if (exchange.principal) {
      record.subject = exchange.principal->subject;
      if (exchange.caller.application) record.application = exchange.caller.application->id;
    }
    record.auth_error = exchange.auth_error;
    record.throttled_by = exchange.throttled_by;
    record.status = exchange.status;
    record.bytes_received = exchange.bytes_received;
    record.bytes_sent = exchange.bytes_sent;
    record.latency_total = total;
    record.latency_backend = backend;
    log->append(record);
  }
}

}  // namespace gatehouse::proxy
