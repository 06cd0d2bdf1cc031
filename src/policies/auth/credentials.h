// The credentials a request carries, found where each scheme puts them: `Authorization: Bearer`
// (OAuth2), `Authorization: Basic` (Basic Auth), an API key header or query parameter. Views into
// the request head; nothing is validated here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace gatehouse::policies::auth {

enum class CredentialKind { none, bearer, basic, api_key, malformed };

struct Credentials {
  CredentialKind kind = CredentialKind::none;
  std::string_view token;  // bearer token or API key
  std::string user;        // Basic Auth, decoded
  std::string password;
  std::string_view problem;  // why the credentials are malformed
};

struct CredentialSources {
  bool bearer = false;
  bool basic = false;
  bool api_key = false;
  std::string api_key_header;       // e.g. "apikey"
  std::string api_key_query_param;  // e.g. "apikey"
};

// The first credentials present among the enabled sources: Authorization first, then the API key
// header, then the API key query parameter.
Credentials find_credentials(const http::RequestHead& request, const CredentialSources& sources);

}  // namespace gatehouse::policies::auth
