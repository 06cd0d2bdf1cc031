// libFuzzer target: X-Forwarded-For and the other fields a client sends, through what the gateway
// does with them: the request head parsed with the gateway's limits, then written toward the
// backend by write_request_head, which appends the peer's address to X-Forwarded-For and sets
// X-Forwarded-Proto, X-Forwarded-Host, X-Request-ID and Host itself.
// The API is secured: its credentials (Authorization, the apikey query parameter) and the fields
// a backend trusts (X-JWT-Assertion, X-WSO2-CLIENT-CERTIFICATE) never go on.
// Input: [flags] header fields..., after "GET /pub/items?q=1&apikey=k HTTP/1.1\r\n"; flags bits
// 0-1 pick the peer's address, bit 2 a TLS listener.
//
// Checked: what goes to the backend is one well-formed request (the gateway's own parser reads it
// whole, with the same framing), for the endpoint's base path and host; it carries exactly one
// X-Forwarded-For, whose last entry is the peer's address (the entry a backend trusts), preceded
// by the client's own value when it sent one; exactly one X-Forwarded-Proto, Host and X-Request-ID
// (the client's id when it sent a usable one); and no hop-by-hop, credential or trusted field.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_require.h"
#include "http/parser.h"
#include "pipeline/exchange.h"
#include "proxy/head_writer.h"
#include "snapshot/forwarding_rules.h"
#include "snapshot/snapshot.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

constexpr std::string_view peers[] = {"192.0.2.7", "2001:db8::7", "::ffff:10.0.0.7", "127.0.0.1"};
constexpr std::string_view request_line = "GET /pub/items?q=1&apikey=k HTTP/1.1\r\n";

const snapshot::ForwardingRules& secured_api() {
  static const snapshot::ForwardingRules made = [] {
    snapshot::ForwardingRules rules;
    rules.stripped.add("X-JWT-Assertion");
    rules.stripped.add("X-WSO2-CLIENT-CERTIFICATE");
    rules.strip_authorization = true;
    rules.stripped_query_param = "apikey";
    return rules;
  }();
  return made;
}

const snapshot::Endpoint& endpoint() {
  static const snapshot::Endpoint made = [] {
    snapshot::Endpoint e;
    e.key = "http://backend.test:8080";
    e.authority = "backend.test:8080";
    e.host = "backend.test";
    e.port = 8080;
    e.base_path = "/base";
    e.host_header = "backend.test:8080";
    return e;
  }();
  return made;
}

std::vector<std::string_view> values_of(const std::vector<http::Header>& headers,
                                        std::string_view name) {
  std::vector<std::string_view> values;
  for (const http::Header& h : headers) {
    if (http::iequals(h.name, name)) values.push_back(h.value);
  }
  return values;
}

// The request id as the session takes it: the client's X-Request-ID when it has one of at most
// 200 bytes (proxy/client_session.cpp), a new one otherwise.
std::string request_id_of(const http::RequestHead& head) {
  for (const http::Header& h : head.headers) {
    if (h.role != http::HeaderRole::x_request_id) continue;
    if (!h.value.empty() && h.value.size() <= 200) return std::string(h.value);
    break;
  }
  return "generated-request-id";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view peer = peers[data[0] % 4];
  const bool client_tls = (data[0] & 4) != 0;
  const std::string received =
      std::string(request_line).append(reinterpret_cast<const char*>(data) + 1, size - 1);

  http::RequestParser parser{http::ParserLimits{}};
  http::RequestHead head;
  if (parser.parse_head(received, head).status != http::ParseStatus::done) return 0;

  pipeline::Exchange exchange;
  exchange.request = &head;
  exchange.client_address = peer;
  exchange.client_tls = client_tls;
  exchange.request_id = request_id_of(head);
  proxy::RequestHeadPlan plan;
  plan.endpoint = &endpoint();
  plan.forwarding = &secured_api();
  plan.path = head.path;
  plan.client_tls = client_tls;
  plan.framing = head.framing;
  plan.content_length = head.content_length;
  std::string sent;
  proxy::write_request_head(sent, head, exchange, plan);

  // The backend's side: the same parser, the gateway's own limits for responses' heads.
  http::ParserLimits backend_limits;
  backend_limits.max_header_bytes *= 4;
  backend_limits.max_headers *= 2;
  http::RequestParser backend{backend_limits};
  http::RequestHead forwarded;
  const http::HeadResult result = backend.parse_head(sent, forwarded);
  require(result.status == http::ParseStatus::done, "the forwarded head is valid HTTP/1.1");
  require(result.consumed == sent.size(), "and one head, nothing after it");
  require(forwarded.method == head.method && forwarded.path == "/base/pub/items" &&
              forwarded.query == "q=1",
          "for the endpoint's base path and the request's path and query, less the API key");
  require(forwarded.framing == head.framing && forwarded.content_length == head.content_length,
          "with the request's framing");

  const std::vector<std::string_view> xff_in = values_of(head.headers, "X-Forwarded-For");
  const std::vector<std::string_view> xff_out = values_of(forwarded.headers, "X-Forwarded-For");
  require(xff_out.size() == 1, "exactly one X-Forwarded-For goes on");
  const std::string_view xff = xff_out.front();
  require(xff == peer || xff.ends_with(std::string(", ").append(peer)),
          "its last entry is the peer's address");
  std::string expected;
  for (std::string_view line : xff_in) {
    if (!line.empty()) expected.append(line).append(", ");
  }
  expected.append(peer);
  require(xff == expected, "after every line of the client's own X-Forwarded-For, in order");

  const std::vector<std::string_view> proto = values_of(forwarded.headers, "X-Forwarded-Proto");
  require(proto.size() == 1 && proto.front() == (client_tls ? "https" : "http"),
          "exactly one X-Forwarded-Proto, the listener's scheme");
  const std::vector<std::string_view> forwarded_host =
      values_of(forwarded.headers, "X-Forwarded-Host");
  require(forwarded_host.size() == (head.host.empty() ? 0u : 1u) &&
              (forwarded_host.empty() || forwarded_host.front() == head.host),
          "X-Forwarded-Host is the client's Host");
  require(forwarded.host == "backend.test:8080" && values_of(forwarded.headers, "Host").size() == 1,
          "exactly one Host, the endpoint's");
  const std::vector<std::string_view> id = values_of(forwarded.headers, "X-Request-ID");
  require(id.size() == 1 && id.front() == exchange.request_id, "exactly one X-Request-ID");
  for (std::string_view hop :
       {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade", "Expect"}) {
    require(values_of(forwarded.headers, hop).empty(), "no hop-by-hop field goes on");
  }
  return 0;
}
