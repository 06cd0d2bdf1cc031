// The client metadata of dynamic client registration (RFC 7591 section 2), as a client sends it
// to register or to update its registration (RFC 7592 section 2.2), checked against what the
// registration policy opens to such clients.
//
// Offered: the two secret methods and `none` (public clients, which need PKCE at the
// authorization endpoint anyway); `private_key_jwt` and `client_secret_jwt` are refused, as are
// grant types and scopes the policy does not list. `openid` is always open to the authorization
// code grant. Members this server does not understand are ignored (section 2); the descriptive
// ones (client_name, client_uri...) are kept as sent and returned.
#pragma once

#include <boost/json/object.hpp>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/client.h"
#include "keymanager/server/settings.h"

namespace gatehouse::keymanager {

struct ClientMetadata {
  std::vector<std::string> redirect_uris;
  std::string token_endpoint_auth_method = "client_secret_basic";
  std::vector<std::string> grant_types;     // default: authorization_code
  std::vector<std::string> response_types;  // default: those the grant types use
  std::vector<std::string> scopes;          // `scope`, split; without openid
  boost::json::object descriptive;          // client_name, client_uri... as sent

  bool public_client() const { return token_endpoint_auth_method == "none"; }
};

// RFC 7591 section 3.2.2: invalid_redirect_uri or invalid_client_metadata.
struct MetadataError {
  std::string_view error;
  std::string description;
};

std::expected<ClientMetadata, MetadataError> read_client_metadata(
    const boost::json::object& metadata, const RegistrationPolicy& policy);

// The token_endpoint_auth_method a self-registered client registered with.
std::string registered_auth_method(const Client& client);

// What the client registered and the key manager keeps beside it, as JSON (SelfRegistration's
// metadata): the auth method, the response types and the descriptive members. The grant types,
// scopes and redirect URIs are the client's own fields.
std::string kept_metadata(const ClientMetadata& metadata);

// The client's registration as RFC 7591 section 3.2.1 and RFC 7592 section 3 answer it: its
// client_id and client_id_issued_at, its metadata and, once, its secret and registration access
// token (empty: left out).
boost::json::object registration_json(const Client& client, std::string_view secret,
                                      std::string_view registration_token,
                                      std::string_view registration_client_uri);

}  // namespace gatehouse::keymanager
