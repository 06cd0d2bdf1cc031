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

// The resource path with each parameter's name dropped ("/order/{}"): two resources whose paths
// are equal in this form match the same requests.
std::string path_shape(std::string_view path);

}  // namespace gatehouse::config
