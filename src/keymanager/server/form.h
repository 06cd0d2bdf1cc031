// The body of a token, introspection or revocation request, and the query or body of an
// authorization request: application/x-www-form-urlencoded (RFC 6749 appendix B), decoded by
// Boost.URL.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keymanager/server/oauth_error.h"
#include "keymanager/server/oauth_message.h"

namespace gatehouse::keymanager {

class Form {
 public:
  // The decoded value; nullopt when the parameter is absent.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

 private:
  friend std::expected<Form, OAuthError> parse_form_encoded(std::string_view encoded);

  // A handful of parameters: a linear search beats any map.
  std::vector<std::pair<std::string, std::string>> parameters_;
};

// invalid_request for another content type (a charset parameter is allowed), a body that is not
// form-encoded, and a parameter given twice (RFC 6749 section 3.1). A parameter without a value is
// treated as absent, as section 3.1 says.
std::expected<Form, OAuthError> parse_form(const OAuthRequest& request);

// The parameters of a form-encoded string (a body, or a query without its '?'), by the same rules.
std::expected<Form, OAuthError> parse_form_encoded(std::string_view encoded);

}  // namespace gatehouse::keymanager
