// One request/response as it passes through the gateway: what was received, where it was routed,
// what the policies decided, and the timings and sizes the access log and metrics report.
// An Exchange lives in its connection's scratch, whatever the protocol; policies get it by
// reference.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "pipeline/local_response.h"
#include "routing/path_params.h"
#include "security/auth/principal.h"

namespace gatehouse::pipeline {

// Which of the API's endpoint groups the request goes to (the endpoint_choice phase decides).
enum class EndpointChoice : uint8_t { production, sandbox };

// TLS facts about the client connection, for policies (mutual TLS, logging).
struct ClientTls {
  bool verified_client_cert = false;  // by the listener's client CA (net::PeerCertificate)
  std::string subject;                // RFC 2253 subject of the client certificate
  std::string issuer;
  std::string certificate_der;  // the certificate itself, for an API's own trust (mutual TLS)
};

struct Exchange {
  using Clock = std::chrono::steady_clock;

  // --- received -----------------------------------------------------------------------------
  const http::RequestHead* request = nullptr;
  std::string_view client_address;  // peer IP, textual
  bool client_tls = false;
  const ClientTls* tls = nullptr;  // non-null on TLS listeners
  std::string_view listener;
  std::string request_id;  // X-Request-ID as received or generated

  // --- routed -------------------------------------------------------------------------------
  // Not the API and resource that matched: a policy is compiled for its API and resource and
  // knows them from there, and the runner keeps the route it found.
  routing::PathParams path_params;  // names point into the router, values into the path
  std::string_view resource_path;   // the path after context/version, e.g. "/order/42"

  // --- established by the API's security ----------------------------------------------------
  // The applications and subscriptions this exchange is admitted against: its worker's store
  // when it began (security/auth/application_directory.h); a change made meanwhile applies from
  // the next exchange.
  const identity::SubscriptionStore* subscriptions = nullptr;
  security::PrincipalPtr principal;  // null: an open API or resource
  // What the principal authenticated with, a view into the request head (or the connection's
  // client certificate): the key of caches kept per caller. Never logged.
  std::string_view credential;
  // The principal's application in `subscriptions` and its key type (security::owner_of); no
  // application for Basic Auth, mutual TLS and open resources.
  identity::KeyOwner caller;
  const identity::StoredSubscription* subscription = nullptr;  // with an application's principal
  std::string auth_error;  // why the caller was refused, for the access log; never a credential

  // --- decided by policies ------------------------------------------------------------------
  http::HeaderEdits request_edits;            // toward the backend
  http::HeaderEdits response_edits;           // toward the client
  std::optional<std::string> rewritten_path;  // replaces resource_path toward the backend
  std::optional<LocalResponse> local_response;
  // The limit that refused the request ("subscription", "burst", a custom policy's name), for
  // the access log; empty when none did.
  std::string_view throttled_by;
  EndpointChoice endpoints = EndpointChoice::production;

  // --- the request body, when a policy of the chain needs it (Policy::needs_request_body) ----
  // The whole body, de-chunked: read before the step of the first policy that needs it, and
  // then forwarded from here.
  std::optional<std::string_view> request_body;

  // The running policy's per-request state (policies::StatefulPolicy), set by the runner before
  // each of that policy's steps; null for a policy without state.
  void* policy_state = nullptr;

  // --- response (set before response policies run) -------------------------------------------
  const http::ResponseHead* response = nullptr;
  int status = 0;  // what the client was sent

  // --- measured -----------------------------------------------------------------------------
  Clock::time_point started;
  Clock::duration backend_latency{};
  uint64_t bytes_received = 0;  // request body bytes from the client
  uint64_t bytes_sent = 0;      // response body bytes to the client
  std::string_view upstream;    // the endpoint that answered, "host:port"
};

}  // namespace gatehouse::pipeline
