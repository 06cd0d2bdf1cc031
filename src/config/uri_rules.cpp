#include "config/uri_rules.h"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <charconv>
#include <unordered_set>
#include <vector>

namespace gatehouse::config {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  path.remove_prefix(1);  // the leading '/'
  while (true) {
    const size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return parts;
    path.remove_prefix(slash + 1);
  }
}

bool has_any(std::string_view text, std::string_view characters) {
  return text.find_first_of(characters) != std::string_view::npos;
}

bool is_parameter_name(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

constexpr std::string_view whitespace = " \t\r\n";

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// What a literal path segment may hold: RFC 3986 pchar, with a percent-encoded octet only where
// the character itself could not be written. Requests are matched after their path is
// normalised (unreserved characters decoded, dot segments removed), so "%61" or "." here would
// name a path no request can reach.
std::optional<std::string> check_segment(std::string_view segment) {
  if (segment == "." || segment == "..") return "must not have '.' or '..' segments";
  for (size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == '%') {
      if (i + 2 >= segment.size() || !is_hex(segment[i + 1]) || !is_hex(segment[i + 2])) {
        return "must write '%' only as a percent-encoded octet like %20";
      }
      const char decoded =
          static_cast<char>(hex_value(segment[i + 1]) * 16 + hex_value(segment[i + 2]));
      if (is_unreserved(decoded)) {
        return "must write letters, digits and '-._~' as they are, not percent-encoded";
      }
      i += 2;
      continue;
    }
    if (!is_unreserved(c) && std::string_view("!$&'()*+,;=:@").find(c) == std::string_view::npos) {
      return "must hold only letters, digits, percent-encoded octets and -._~!$&'()*+,;=:@ "
             "in each segment";
    }
  }
  return std::nullopt;
}

// The rules every path-shaped value shares.
std::optional<std::string> check_path_basics(std::string_view path) {
  if (!path.starts_with('/')) return "must start with '/'";
  if (has_any(path, whitespace)) return "must not contain spaces";
  if (has_any(path, "?#")) return "must not have a query or fragment";
  if (path.size() > 1 && path.ends_with('/')) return "must not end with '/'";
  if (path.find("//") != std::string_view::npos) return "must not have an empty segment";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_context(std::string_view context) {
  if (context == "/") return "must name a path below '/', like /pizzashack";
  if (auto broken = check_path_basics(context)) return broken;
  if (has_any(context, "{}")) return "must not have parameters";
  if (has_any(context, "*")) return "must not have a wildcard";
  for (const std::string_view segment : segments(context)) {
    if (auto broken = check_segment(segment)) return broken;
  }
  return std::nullopt;
}

std::optional<std::string> check_version(std::string_view version) {
  if (version.empty()) return "must not be empty";
  if (has_any(version, "/")) return "must not contain '/'";
  if (has_any(version, whitespace) || has_any(version, "?#{}*")) {
    return "must be one path segment without spaces, '?', '#', '{', '}' or '*'";
  }
  return check_segment(version);
}

std::optional<std::string> check_resource_path(std::string_view path) {
  if (auto broken = check_path_basics(path)) return broken;
  if (path == "/") return std::nullopt;
  const std::vector<std::string_view> parts = segments(path);
  std::unordered_set<std::string_view> parameters;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (has_any(part, "*") && (part != "*" || i + 1 != parts.size())) {
      return "may have '*' only as its whole last segment";
    }
    if (!has_any(part, "{}")) {
      if (part == "*") continue;
      if (auto broken = check_segment(part)) return broken;
      continue;
    }
    const std::string_view name = part.substr(1, part.size() >= 2 ? part.size() - 2 : 0);
    if (!part.starts_with('{') || !part.ends_with('}') || !is_parameter_name(name)) {
      return "must write each parameter as a whole segment like {orderId} (letters, digits, _)";
    }
    if (!parameters.insert(name).second) {
      return "must not repeat the parameter {" + std::string(name) + "}";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_endpoint_url(std::string_view url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "must be a URL like http://127.0.0.1:9000";
  const boost::urls::url_view& view = *parsed;
  if (view.scheme_id() != boost::urls::scheme::http &&
      view.scheme_id() != boost::urls::scheme::https) {
    return "must start with http:// or https://";
  }
  if (!view.has_authority() || view.encoded_host().empty()) return "must have a host";
  if (view.has_userinfo()) return "must not contain credentials";
  // port_number() wraps numbers above 65535 instead of failing: check the digits themselves.
  if (view.has_port()) {
    const std::string_view port = view.port();
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc{} || number < 1 || number > 65535) {
      return "must have a port from 1 to 65535";
    }
  }
  if (view.has_query() || view.has_fragment()) return "must not have a query or fragment";
  return std::nullopt;
}

std::optional<std::string> check_redirect_uri(std::string_view uri) {
  const auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return "must be an absolute URI like https://app.example/callback";
  const boost::urls::url_view& view = *parsed;
  if (!view.has_authority() || view.encoded_host().empty()) return "must have a host";
  if (view.has_userinfo()) return "must not contain credentials";
  if (view.has_fragment()) return "must not have a fragment";
  if (view.scheme_id() == boost::urls::scheme::https) return std::nullopt;
  const std::string_view host = view.encoded_host();
  const bool loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
  if (view.scheme_id() == boost::urls::scheme::http && loopback) return std::nullopt;
  return "must use https (http only on localhost, 127.0.0.1 or [::1])";
}

std::string path_shape(std::string_view path) {
  std::string shape;
  bool in_parameter = false;
  for (const char c : path) {
    if (c == '}') in_parameter = false;
    if (!in_parameter) shape += c;
    if (c == '{') in_parameter = true;
  }
  return shape;
}

}  // namespace gatehouse::config
