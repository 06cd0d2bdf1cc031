#include "proxy/head_writer.h"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <charconv>

#include "http/parser_rules.h"

namespace gatehouse::proxy {

namespace {

void append_number(std::string& out, uint64_t value) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// The fields a message's Connection headers name (RFC 9110 7.6.1), which go no further. The
// lists are split once per message, not once per field.
class ConnectionOptions {
 public:
  explicit ConnectionOptions(const std::vector<http::Header>& headers) {
    for (const http::Header& h : headers) {
      if (!http::iequals(h.name, "connection")) continue;
      for (std::string_view list = h.value; !list.empty();) {
        const std::string_view token = http::rules::next_list_item(list);
        if (!token.empty()) tokens_.push_back(token);
      }
    }
  }

  bool names(std::string_view field) const {
    return std::any_of(tokens_.begin(), tokens_.end(),
                       [&](std::string_view token) { return http::iequals(token, field); });
  }

 private:
  boost::container::small_vector<std::string_view, 4> tokens_;
};

void append_edits(std::string& out, const http::HeaderEdits& edits) {
  for (const auto& [name, value] : edits.add) append_header(out, name, value);
}

void append_framing(std::string& out, http::BodyFraming framing, uint64_t content_length) {
  if (framing == http::BodyFraming::content_length) {
    out.append("Content-Length: ");
    append_number(out, content_length);
    out.append("\r\n");
  } else if (framing == http::BodyFraming::chunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  }
}

}  // namespace

bool is_hop_by_hop(std::string_view name) {
  switch (name.size()) {
    case 2:
      return http::iequals(name, "te");
    case 7:
      return http::iequals(name, "trailer") || http::iequals(name, "upgrade");
    case 10:
      return http::iequals(name, "connection") || http::iequals(name, "keep-alive");
    case 14:
      return http::iequals(name, "content-length");  // re-sent by the framing we choose
    case 16:
      return http::iequals(name, "proxy-connection");
    case 17:
      return http::iequals(name, "transfer-encoding");
    default:
      return false;
  }
}

void write_request_head(std::string& out, const http::RequestHead& request,
                        const Exchange& exchange, const RequestHeadPlan& plan) {
  out.clear();
  out.append(request.method);
  out.push_back(' ');
  out.append(plan.endpoint->base_path);
  out.append(plan.path);
  if (!request.query.empty()) {
    out.push_back('?');
    out.append(request.query);
  }
  out.append(" HTTP/1.1\r\nHost: ");
  out.append(plan.endpoint->host_header);
  out.append("\r\n");

  const ConnectionOptions connection(request.headers);
  const bool check_edits = !exchange.request_edits.remove.empty();
  std::string_view forwarded_for;
  for (const http::Header& h : request.headers) {
    if (is_hop_by_hop(h.name)) continue;
    switch (h.name.size()) {
      case 4:  // Host: replaced by the endpoint's
        if (http::iequals(h.name, "host")) continue;
        break;
      case 6:  // Expect: answered by the gateway itself
        if (http::iequals(h.name, "expect")) continue;
        break;
      case 12:
        if (http::iequals(h.name, "x-request-id")) continue;
        break;
      case 15:
        if (http::iequals(h.name, "x-forwarded-for")) {
          forwarded_for = h.value;
          continue;
        }
        break;
      case 16:
        if (http::iequals(h.name, "x-forwarded-host")) continue;
        break;
      case 17:
        if (http::iequals(h.name, "x-forwarded-proto")) continue;
        break;
    }
    if (connection.names(h.name)) continue;
    if (check_edits && exchange.request_edits.removes(h.name)) continue;
    append_header(out, h.name, h.value);
  }
  out.append("X-Forwarded-For: ");
  if (!forwarded_for.empty()) {
    out.append(forwarded_for);
    out.append(", ");
  }
  out.append(exchange.client_address);
  out.append("\r\nX-Forwarded-Proto: ");
  out.append(plan.client_tls ? "https" : "http");
  if (!request.host.empty()) {
    out.append("\r\nX-Forwarded-Host: ");
    out.append(request.host);
  }
  out.append("\r\nX-Request-ID: ");
  out.append(exchange.request_id);
  out.append("\r\n");
  append_edits(out, exchange.request_edits);
  append_framing(out, plan.framing, plan.content_length);
  out.append("\r\n");
}

void write_response_head(std::string& out, const http::ResponseHead& response,
                         const Exchange& exchange, const ResponseHeadPlan& plan) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<uint64_t>(response.status));
  out.push_back(' ');
  out.append(response.reason.empty() ? reason_phrase(response.status) : response.reason);
  out.append("\r\n");
  const ConnectionOptions connection(response.headers);
  const bool check_edits = !exchange.response_edits.remove.empty();
  for (const http::Header& h : response.headers) {
    if (is_hop_by_hop(h.name)) continue;
    if (connection.names(h.name)) continue;
    if (check_edits && exchange.response_edits.removes(h.name)) continue;
    append_header(out, h.name, h.value);
  }
  append_edits(out, exchange.response_edits);
  append_framing(out, plan.framing, plan.content_length);
  if (!plan.keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

void write_local_response(std::string& out, const LocalResponse& response, const Exchange& exchange,
                          bool keep_alive, bool head_only) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_number(out, static_cast<uint64_t>(response.status));
  out.push_back(' ');
  out.append(reason_phrase(response.status));
  out.append("\r\n");
  const bool bodiless = response.status == 204 || response.status == 304;
  if (!response.body.empty()) append_header(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) {
    if (!exchange.response_edits.removes(name)) append_header(out, name, value);
  }
  append_edits(out, exchange.response_edits);
  if (!exchange.request_id.empty()) append_header(out, "X-Request-ID", exchange.request_id);
  if (!bodiless) append_framing(out, http::BodyFraming::content_length, response.body.size());
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
  if (!head_only && !bodiless) out.append(response.body);
}

std::string_view reason_phrase(int status) {
  // clang-format off
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
  // clang-format on
}

}  // namespace gatehouse::proxy
