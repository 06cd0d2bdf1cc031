// Writes message heads toward the backend and toward the client into one reusable string, so that
// each head leaves in a single write. Received header bytes are copied as they are; only what must
// change is rewritten (RFC 9110 section 7.6: hop-by-hop fields are not forwarded).
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"
#include "pipeline/exchange.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

struct RequestHeadPlan {
  const snapshot::Endpoint* endpoint = nullptr;
  const snapshot::ForwardingRules* forwarding = nullptr;  // the API's
  std::string_view path;  // toward the backend, without the base path or query
  bool client_tls = false;
  http::BodyFraming framing = http::BodyFraming::none;  // content_length or chunked toward it
  uint64_t content_length = 0;
};
void write_request_head(std::string& out, const http::RequestHead& request,
                        const pipeline::Exchange& exchange, const RequestHeadPlan& plan);

struct ResponseHeadPlan {
  http::BodyFraming framing = http::BodyFraming::none;  // toward the client
  uint64_t content_length = 0;
  bool keep_alive = true;
};
void write_response_head(std::string& out, const http::ResponseHead& response,
                         const pipeline::Exchange& exchange, const ResponseHeadPlan& plan);

// What the gateway tells a client that sent `Expect: 100-continue`, before it reads the body.
inline constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";

// A response made by the gateway (error, preflight). `head_only` for HEAD requests.
void write_local_response(std::string& out, const pipeline::LocalResponse& response,
                          const pipeline::Exchange& exchange, bool keep_alive, bool head_only);

std::string_view reason_phrase(int status);

}  // namespace gatehouse::proxy
