#include "http/message.h"

#include <algorithm>

namespace gatehouse::http {

namespace {
inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
}  // namespace

bool iequals_same_length(const char* a, const char* b, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (a[i] != b[i] && lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

HeaderRole header_role(std::string_view name) {
  switch (name.size()) {
    case 2:
      if (iequals(name, "te")) return HeaderRole::hop_by_hop;
      break;
    case 4:
      if (iequals(name, "host")) return HeaderRole::host;
      break;
    case 6:
      if (iequals(name, "expect")) return HeaderRole::expect;
      break;
    case 7:
      if (iequals(name, "trailer") || iequals(name, "upgrade")) return HeaderRole::hop_by_hop;
      break;
    case 9:
      if (iequals(name, "forwarded") || iequals(name, "x-real-ip")) {
        return HeaderRole::gateway_only;
      }
      break;
    case 10:
      if (iequals(name, "connection")) return HeaderRole::connection;
      if (iequals(name, "keep-alive")) return HeaderRole::hop_by_hop;
      break;
    case 12:
      if (iequals(name, "x-request-id")) return HeaderRole::x_request_id;
      break;
    case 13:
      if (iequals(name, "authorization")) return HeaderRole::authorization;
      if (iequals(name, "x-http-method") || iequals(name, "x-rewrite-url")) {
        return HeaderRole::gateway_only;
      }
      break;
    case 14:
      if (iequals(name, "content-length")) return HeaderRole::hop_by_hop;
      if (iequals(name, "x-original-url")) return HeaderRole::gateway_only;
      break;
    case 15:
      if (iequals(name, "x-forwarded-for")) return HeaderRole::x_forwarded_for;
      break;
    case 16:
      if (iequals(name, "proxy-connection")) return HeaderRole::hop_by_hop;
      if (iequals(name, "x-forwarded-host")) return HeaderRole::x_forwarded_host;
      break;
    case 17:
      if (iequals(name, "transfer-encoding")) return HeaderRole::hop_by_hop;
      if (iequals(name, "x-forwarded-proto")) return HeaderRole::x_forwarded_proto;
      if (iequals(name, "x-method-override")) return HeaderRole::gateway_only;
      break;
    case 19:
      if (iequals(name, "proxy-authorization")) return HeaderRole::gateway_only;
      break;
    case 22:
      if (iequals(name, "x-http-method-override")) return HeaderRole::gateway_only;
      break;
  }
  // Every other X-Forwarded-* field (-Port, -Prefix, -Server, -Ssl, -Uri, -Method...): backends
  // and frameworks read them as a proxy's report of the original request.
  constexpr std::string_view forwarded_prefix = "x-forwarded-";
  if (name.size() > forwarded_prefix.size() &&
      iequals_same_length(name.data(), forwarded_prefix.data(), forwarded_prefix.size())) {
    return HeaderRole::gateway_only;
  }
  return HeaderRole::end_to_end;
}

std::optional<std::string_view> after_scheme(std::string_view value, std::string_view scheme) {
  if (value.size() <= scheme.size() || !iequals(value.substr(0, scheme.size()), scheme) ||
      value[scheme.size()] != ' ') {
    return std::nullopt;
  }
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

bool has_media_type(std::string_view content_type, std::string_view media_type) {
  const std::string_view named = content_type.substr(0, content_type.find(';'));
  const size_t last = named.find_last_not_of(" \t");
  return last != std::string_view::npos && iequals(named.substr(0, last + 1), media_type);
}

const Header* find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

void HeaderEdits::set(std::string name, std::string value) {
  std::erase_if(add, [&](const auto& header) { return iequals(header.first, name); });
  if (!removes(name)) remove.push_back(name);
  add.emplace_back(std::move(name), std::move(value));
}

bool HeaderEdits::removes(std::string_view name) const {
  return std::any_of(remove.begin(), remove.end(),
                     [&](const std::string& r) { return iequals(r, name); });
}

}  // namespace gatehouse::http
