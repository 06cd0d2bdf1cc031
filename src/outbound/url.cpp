#include "outbound/url.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gatehouse::outbound {

namespace urls = boost::urls;

namespace {
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}
}  // namespace

std::expected<Target, std::string> parse_url(std::string_view text) {
  auto parsed = urls::parse_uri(text);
  if (!parsed) return std::unexpected("invalid URL: " + parsed.error().message());
  const urls::url_view url = *parsed;

  Target target;
  if (url.scheme_id() == urls::scheme::https) {
    target.tls = true;
  } else if (url.scheme_id() != urls::scheme::http) {
    return std::unexpected("URL scheme must be http or https");
  }
  // Credentials belong in headers, where they are not logged with the URL.
  if (url.has_userinfo()) return std::unexpected("URL must not contain user info");

  switch (url.host_type()) {
    case urls::host_type::name:
      target.host = url.host();
      // Decoded escapes could smuggle bytes into SNI or the Host field; real names need none.
      if (!std::ranges::all_of(target.host, is_name_char)) {
        return std::unexpected("URL host name has invalid characters");
      }
      break;
    case urls::host_type::ipv4:
      target.host = url.host();
      break;
    case urls::host_type::ipv6:
      target.host = url.host_ipv6_address().to_string();
      break;
    default:
      return std::unexpected("URL has no usable host");
  }
  if (target.host.empty()) return std::unexpected("URL has no host");

  const uint16_t default_port = target.tls ? 443 : 80;
  // "host:" means the default port (RFC 3986 3.2.3). port_number() would wrap 65536 and above.
  const std::string_view port = url.port();
  unsigned number = default_port;
  if (!port.empty()) {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc{} || end != port.data() + port.size() || number == 0 || number > 65535) {
      return std::unexpected("URL has an invalid port");
    }
  }
  target.port = static_cast<uint16_t>(number);

  const bool bracketed = url.host_type() == urls::host_type::ipv6;
  target.host_header.append(bracketed ? "[" : "").append(target.host).append(bracketed ? "]" : "");
  if (target.port != default_port)
    target.host_header.append(":").append(std::to_string(target.port));
  const std::string_view path = url.encoded_target();  // "" or "?q" when the URL has no path
  target.path = path.starts_with('/') ? std::string(path) : std::string("/").append(path);
  return target;
}

}  // namespace gatehouse::outbound
