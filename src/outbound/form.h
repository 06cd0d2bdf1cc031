// Bodies and credentials of OAuth2 client requests (token introspection, RFC 7662; client
// authentication, RFC 6749 section 2.3.1).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::outbound {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded as the URL Standard writes it: ASCII letters, digits and
// "*-._" stay, a space becomes "+", every other byte is %XX (upper-case hex).
std::string form_encode(std::string_view text);
// "name=value&name=value", each part encoded as above.
std::string form_encode(const FormFields& fields);

// The Authorization field value for HTTP Basic client authentication. RFC 6749 2.3.1 asks for
// the client id and secret to be form-encoded before they are joined and base64-encoded, so that
// a ":" in the id cannot be mistaken for the separator.
std::string basic_authorization(std::string_view client_id, std::string_view client_secret);

}  // namespace gatehouse::outbound
