// The rules for the URL-shaped values of an API: its context, version, resource paths and
// endpoint URLs. Each check returns nullopt when the text is fine, otherwise the rule it breaks
// as a phrase completing "'<key>' ..." (for example "must start with '/'").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::config {

// "/pizzashack", "/shop/orders": no trailing '/', no parameters, no wildcard.
std::optional<std::string> check_context(std::string_view context);

// "1.0.0", "v2": one path segment.
std::optional<std::string> check_version(std::string_view version);

// "/", "/menu", "/order/{orderId}", "/files/*": each parameter a whole segment, '*' only last.
std::optional<std::string> check_resource_path(std::string_view path);

// "http://host[:port][/base]" or "https://...", without credentials, query or fragment.
std::optional<std::string> check_endpoint_url(std::string_view url);

// Where the authorization endpoint sends a browser back to a client: an absolute https URI, or
// http on the loopback host (localhost, 127.0.0.1, [::1]: a native app's listener, RFC 8252
// section 7.3); without credentials or fragment (RFC 6749 section 3.1.2); a query is kept.
std::optional<std::string> check_redirect_uri(std::string_view uri);

// The resource path with each parameter's name dropped ("/order/{}"): two resources whose paths
// are equal in this form match the same requests.
std::string path_shape(std::string_view path);

}  // namespace gatehouse::config
