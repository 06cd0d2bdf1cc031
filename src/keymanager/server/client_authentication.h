// Who is calling the token, introspection or revocation endpoint (RFC 6749 section 2.3):
//   client_secret_basic  Authorization: Basic base64(urlencode(id) ":" urlencode(secret))
//   client_secret_post   client_id and client_secret in the form
//   none                 client_id alone, for a public client
//   private_key_jwt      client_assertion_type and client_assertion (client_assertion.h)
//   tls_client_auth      client_id in the form, and the TLS client certificate (tls_client_auth.h)
// A request that uses both Basic and client_secret is invalid_request (section 2.3: a client
// must not use more than one method). A client_id in the form beside Basic is accepted when it
// names the same client, as several client libraries send it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <string>
#include <string_view>

#include "keymanager/server/client.h"
#include "keymanager/server/client_directory.h"
#include "keymanager/server/form.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

// The client authenticated by a secret or as a public client, or invalid_client (unknown, wrong
// secret, no authentication, a confidential client without its secret, a private_key_jwt client)
// or invalid_request.
std::expected<ClientPtr, OAuthError> authenticate_client(const OAuthRequest& request,
                                                         const Form& form,
                                                         const ClientDirectory& clients);

// A client's request to the token, introspection or revocation endpoint: its form, and the
// client it authenticated as.
struct ClientRequest {
  Form form;
  ClientPtr client;
  // What its access tokens are bound to (RFC 8705 section 3); empty: nothing.
  std::string certificate_thumbprint;
};

// What each of those endpoints reads first: a POST (else invalid_request, naming `endpoint`:
// "token"...), its form, and the client's authentication by whichever one method it used. A
// client assertion's jti is recorded in the store: awaited, on the store thread.
boost::asio::awaitable<std::expected<ClientRequest, OAuthError>> read_client_request(
    const OAuthRequest& request, std::string_view endpoint, ServerContext& context);

}  // namespace gatehouse::keymanager
