#include "proxy/head_writer.h"

#include <cstring>

#include "core/decimal.h"
#include "proxy/forwarding.h"

namespace gatehouse::proxy {

namespace {

// One resize and two copies per field line: four appends cost twice as much per request.
void append_header(std::string& out, std::string_view name, std::string_view value) {
  const size_t at = out.size();
  out.resize(at + name.size() + value.size() + 4);
  char* line = out.data() + at;
  std::memcpy(line, name.data(), name.size());
  line += name.size();
  *line++ = ':';
  *line++ = ' ';
  std::memcpy(line, value.data(), value.size());
  line += value.size();
  *line++ = '\r';
  *line = '\n';
}

void append_edits(std::string& out, const http::HeaderEdits& edits) {
  for (const auto& [name, value] : edits.add) append_header(out, name, value);
}

void append_framing(std::string& out, http::BodyFraming framing, uint64_t content_length) {
  if (framing == http::BodyFraming::content_length) {
    out.append("Content-Length: ");
    append_decimal(out, content_length);
    out.append("\r\n");
  } else if (framing == http::BodyFraming::chunked) {
    out.append("Transfer-Encoding: chunked\r\n");
  }
}

}  // namespace

void write_request_head(std::string& out, const http::RequestHead& request,
                        const pipeline::Exchange& exchange, const RequestHeadPlan& plan) {
  out.clear();
  out.append(request.method);
  out.push_back(' ');
  out.append(plan.endpoint->base_path);
  out.append(plan.path);
  const snapshot::ForwardingRules& rules = *plan.forwarding;
  if (!request.query.empty()) append_query_without(out, request.query, rules.stripped_query_param);
  out.append(" HTTP/1.1\r\nHost: ");
  out.append(plan.endpoint->host_header);
  out.append("\r\n");

  const ConnectionOptions connection(request.headers);
  const bool check_edits = !exchange.request_edits.remove.empty();
  bool forwarded_for = false;
  for (const http::Header& h : request.headers) {
    // Hop-by-hop fields go no further; Host, Expect, X-Request-ID and X-Forwarded-* are the
    // gateway's to set; gateway-only fields and the configured ones in `rules` never pass.
    bool forward = false;
    if (h.role == http::HeaderRole::end_to_end) {
      forward = !rules.stripped.contains(h.name);
    } else if (h.role == http::HeaderRole::authorization) {
      forward = !rules.strip_authorization;
    } else if (h.role == http::HeaderRole::x_forwarded_for) {
      forwarded_for = true;
    }
    if (!forward || connection.names(h.name)) continue;
    if (check_edits && exchange.request_edits.removes(h.name)) continue;
    append_header(out, h.name, h.value);
  }
  out.append("X-Forwarded-For: ");
  if (forwarded_for) {
    // Several X-Forwarded-For lines are one list in their order (RFC 9110 5.3); the client's
    // address goes last, where the backend looks for the hop it can trust.
    for (const http::Header& h : request.headers) {
      if (h.role != http::HeaderRole::x_forwarded_for || h.value.empty()) continue;
      out.append(h.value);
      out.append(", ");
    }
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
                         const pipeline::Exchange& exchange, const ResponseHeadPlan& plan) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_decimal(out, static_cast<uint64_t>(response.status));
  out.push_back(' ');
  out.append(response.reason.empty() ? reason_phrase(response.status) : response.reason);
  out.append("\r\n");
  const ConnectionOptions connection(response.headers);
  const bool check_edits = !exchange.response_edits.remove.empty();
  for (const http::Header& h : response.headers) {
    if (h.role == http::HeaderRole::connection || h.role == http::HeaderRole::hop_by_hop) continue;
    if (connection.names(h.name)) continue;
    if (check_edits && exchange.response_edits.removes(h.name)) continue;
    append_header(out, h.name, h.value);
  }
  append_edits(out, exchange.response_edits);
  append_framing(out, plan.framing, plan.content_length);
  if (!plan.keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

void write_local_response(std::string& out, const pipeline::LocalResponse& response,
                          const pipeline::Exchange& exchange, bool keep_alive, bool head_only) {
  out.clear();
  out.append("HTTP/1.1 ");
  append_decimal(out, static_cast<uint64_t>(response.status));
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
    case 303: return "See Other";
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
