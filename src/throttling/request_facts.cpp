#include "throttling/request_facts.h"

#include <boost/json/serialize.hpp>

#include "http/message.h"

namespace gatehouse::throttling {
namespace {

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

}  // namespace

std::string_view client_ip(const pipeline::Exchange& exchange,
                           const identity::IpMatcher& trusted_proxies) {
  std::string_view client = exchange.client_address;
  if (trusted_proxies.empty() || exchange.request == nullptr || !trusted_proxies.matches(client)) {
    return client;
  }
  // Several X-Forwarded-For lines are one list in their order; walk it from the right.
  const auto& headers = exchange.request->headers;
  for (auto header = headers.rbegin(); header != headers.rend(); ++header) {
    if (header->role != http::HeaderRole::x_forwarded_for) continue;
    std::string_view list = header->value;
    while (!list.empty()) {
      const size_t comma = list.rfind(',');
      const std::string_view entry =
          trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
      if (entry.empty()) continue;
      client = entry;
      if (!trusted_proxies.matches(entry)) return client;
    }
  }
  return client;
}

std::optional<std::string_view> header_value(const http::RequestHead& request,
                                             std::string_view name) {
  for (const http::Header& header : request.headers) {
    if (equal_ignoring_case(header.name, name)) return header.value;
  }
  return std::nullopt;
}

std::optional<std::string_view> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const size_t equals = pair.find('=');
    if (pair.substr(0, equals) != name) continue;
    return equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
  }
  return std::nullopt;
}

std::optional<std::string> claim_value(const pipeline::Exchange& exchange, std::string_view name) {
  if (!exchange.principal || !exchange.principal->claims) return std::nullopt;
  const boost::json::value* value = exchange.principal->claims->if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (const boost::json::string* text = value->if_string()) return std::string(*text);
  return boost::json::serialize(*value);
}

}  // namespace gatehouse::throttling
