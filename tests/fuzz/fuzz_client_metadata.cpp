// libFuzzer target: the client metadata that anyone with an initial access token, or anyone at all
// when registration is open, sends to POST /oauth2/register (RFC 7591), read as the registration
// endpoint does: the body as one strict JSON object, then read_client_metadata against a policy,
// then what is kept and answered. Input: [flags] body...; flags bit 0: the policy opens implicit
// and client_credentials too, bit 1: it opens no scope.
//
// Checked: a refusal is invalid_redirect_uri or invalid_client_metadata, with a description; an
// accepted registration asks only for what the policy opens, pairs its response types with its
// grant types, has redirect URIs where it redirects, is no public client of client_credentials,
// and what is kept of it reads back as the same auth method and response types.
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/uri_rules.h"
#include "fuzz_require.h"
#include "keymanager/server/client_metadata.h"
#include "security/jose/strict_json.h"

using namespace gatehouse;
using namespace gatehouse::keymanager;

namespace {

using gatehouse::fuzz::require;

RegistrationPolicy policy_of(uint8_t flags) {
  RegistrationPolicy policy{.grant_types = {"authorization_code", "refresh_token"},
                            .scopes = {"read", "write"}};
  if (flags & 1) {
    policy.grant_types.emplace_back("implicit");
    policy.grant_types.emplace_back("client_credentials");
  }
  if (flags & 2) policy.scopes.clear();
  return policy;
}

bool has(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

void check_accepted(const ClientMetadata& read, const RegistrationPolicy& policy) {
  for (const std::string& type : read.grant_types) {
    require(has(policy.grant_types, type), "only the policy's grant types are registered");
  }
  for (const std::string& scope : read.scopes) {
    require(has(policy.scopes, scope), "only the policy's scopes are registered");
  }
  require(has(read.response_types, "code") == has(read.grant_types, "authorization_code") &&
              has(read.response_types, "token") == has(read.grant_types, "implicit"),
          "response types pair with grant types");
  require(read.response_types.empty() || !read.redirect_uris.empty(),
          "a client that redirects has redirect URIs");
  for (const std::string& uri : read.redirect_uris) {
    require(!config::check_redirect_uri(uri), "every redirect URI is one a client may have");
  }
  require(!(read.public_client() && has(read.grant_types, "client_credentials")),
          "a public client has no client_credentials");

  const auto kept = boost::json::parse(kept_metadata(read));
  require(kept.is_object(), "what is kept is a JSON object");
  const boost::json::value* method = kept.as_object().if_contains("token_endpoint_auth_method");
  require(method && method->is_string() && method->get_string() == read.token_endpoint_auth_method,
          "what is kept names the auth method registered");
  Client client{.client_id = "c", .grant_types = read.grant_types};
  client.public_client = read.public_client();
  client.self_registration = SelfRegistration{.metadata = kept_metadata(read)};
  require(registered_auth_method(client) == read.token_endpoint_auth_method,
          "the auth method reads back from what is kept");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const RegistrationPolicy policy = policy_of(data[0]);
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return 0;
  const auto read = read_client_metadata(*parsed, policy);
  if (!read) {
    const std::string_view error = read.error().error;
    require(error == "invalid_redirect_uri" || error == "invalid_client_metadata",
            "a refusal is one of RFC 7591's two metadata errors");
    require(!read.error().description.empty(), "a refusal says why");
    return 0;
  }
  check_accepted(*read, policy);
  return 0;
}
