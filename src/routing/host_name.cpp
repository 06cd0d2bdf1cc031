#include "routing/host_name.h"

namespace gatehouse::routing {

std::string_view strip_port(std::string_view host) {
  if (host.starts_with('[')) {  // an IPv6 literal: its colons are not a port separator
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  return host.substr(0, host.find(':'));
}

void lower_case_into(std::string_view host, char* out) {
  for (char c : host) *out++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace gatehouse::routing
