// The protocol-neutral half of serving a request: route it, run its chain's phases, answer it
// locally or hand it to the protocol to forward, then log it. A connection of any protocol
// (HTTP/1 today: ClientSession) parses a request head into an ExchangeRun, implements
// Downstream, and calls ExchangeRunner::run.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include "core/path_normalization.h"
#include "http/message.h"
#include "keymanager/server/endpoints.h"
#include "pipeline/exchange.h"
#include "policies/chain.h"
#include "policies/policy_states.h"
#include "proxy/worker_context.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

struct ListenerInfo {
  std::string name;
  bool tls = false;
  PathNormalization paths;
};

// How a connection goes on after an exchange. `linger`: closing, with the request body maybe
// still arriving (the connection reads and drops it for a while, so that its answer arrives).
enum class After { keep_alive, close, linger };

// Storage that an exchange borrows from its connection and that outlives it, so that later
// requests on the connection reuse its capacity.
struct ExchangeStorage {
  policies::PolicyStates states;
  std::string normalized_path;  // the request's path, when its normal form differs from it
  std::string request_body;     // the body, when a policy reads it whole
};

// One exchange, from its request head to its log line.
struct ExchangeRun {
  ExchangeRun(http::RequestHead& reused_head, ExchangeStorage& reused_storage)
      : head(reused_head), storage(reused_storage) {}

  http::RequestHead& head;  // the connection's, reused
  ExchangeStorage& storage;
  std::shared_ptr<WorkerView> view;  // the snapshot the request is served by
  pipeline::Exchange exchange;
  // Where the request was routed: null before routing, and for a request no API took. A request
  // under an API that no resource of it took has an API and no resource.
  const snapshot::CompiledApi* api = nullptr;
  const snapshot::CompiledResource* resource = nullptr;
  const policies::Chain* chain = nullptr;  // the policies that apply; null before routing
  size_t policies_run = 0;                 // how many of the chain ran their request step
  // The built-in key manager's endpoint the path names, when it is served here: answered by
  // it, before API routing.
  std::optional<keymanager::EndpointId> key_manager_endpoint;
};

// How reading a request body whole ended.
enum class BodyRead {
  complete,     // in the storage's request_body
  refused,      // too large, malformed or too slow: `exchange.local_response` says so
  client_gone,  // the client closed or failed: nobody to answer
};

// The protocol's part of an exchange.
class Downstream {
 public:
  // Reads the request body whole, de-framed, into `run.storage.request_body`; more than `limit`
  // bytes is refused (413).
  virtual boost::asio::awaitable<BodyRead> read_body(ExchangeRun& run, uint64_t limit) = 0;
  // Writes `run.exchange.local_response` to the client.
  virtual boost::asio::awaitable<After> send_local(ExchangeRun& run) = 0;
  // Sends the request to its backend and streams the answer back. Calls
  // ExchangeRunner::response_phase once the backend's head is in, and answer_locally instead
  // when the backend gave nothing usable.
  virtual boost::asio::awaitable<After> forward(ExchangeRun& run) = 0;

 protected:
  ~Downstream() = default;
};

class ExchangeRunner {
 public:
  ExchangeRunner(WorkerContext& worker, const ListenerInfo& listener)
      : worker_(worker), listener_(listener) {}

  // Serves a request whose head is in `run.head` (or that was refused before it was whole:
  // then `run.exchange.local_response` is set and only answered and logged).
  boost::asio::awaitable<After> run(ExchangeRun& run, Downstream& downstream);

  // The response steps of the policies that ran, last first; before the client sees the
  // answer, whether it comes from the backend or from the gateway.
  boost::asio::awaitable<void> response_phase(ExchangeRun& run);
  // Answers with `run.exchange.local_response`, after the response steps.
  boost::asio::awaitable<After> answer_locally(ExchangeRun& run, Downstream& downstream);

 private:
  // What run() does with a routed request.
  enum class Next { respond, policies_then_respond, policies_then_forward, key_manager };

  Next route(ExchangeRun& run);
  // How the request steps ended: go on to the backend, answer (exchange.local_response is
  // set), or drop the exchange (the client left while its body was being read).
  enum class Requested { forward, answer, drop };
  boost::asio::awaitable<Requested> request_phase(ExchangeRun& run, Downstream& downstream);
  // The key manager's answer (its form body read whole first), written as a local answer.
  boost::asio::awaitable<After> serve_key_manager(ExchangeRun& run, Downstream& downstream);
  // Reads the body whole for the policies that need it, up to the API's bound (for the key
  // manager, which has no API: the buffered body's bound).
  boost::asio::awaitable<BodyRead> read_body(ExchangeRun& run, Downstream& downstream);
  // Metrics, the log steps and the access log; then the policies' states end.
  void log(ExchangeRun& run);

  WorkerContext& worker_;
  const ListenerInfo& listener_;  // the worker's, which outlives its connections
};

}  // namespace gatehouse::proxy
