// Dynamic client registration: /oauth2/register (RFC 7591) and each client's registration at
// /oauth2/register/{client_id} (RFC 7592), served only with a registration policy (404 without).
//   POST /oauth2/register, with an initial access token as a bearer token (unless the policy is
//        open) and the client metadata as JSON: 201 with the client id, its secret (not for a
//        public client) and its registration access token, shown this once.
//   GET, PUT, DELETE /oauth2/register/{client_id}, with that registration access token: the
//        registration read (without the secret), replaced by new metadata (the client id,
//        secret and auth method stay), or removed with its application (204).
// A missing or wrong token, or a client that did not register itself, is 401 invalid_token. Wrong
// initial access tokens are counted for the address, which is shut out (429) as at the token
// endpoint.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string_view>

#include "keymanager/server/oauth_message.h"
#include "keymanager/server/server_context.h"

namespace gatehouse::keymanager {

class RegistrationEndpoint {
 public:
  explicit RegistrationEndpoint(ServerContext& context) : context_(context) {}

  // For /oauth2/register and the paths under it (the request's `path`).
  boost::asio::awaitable<OAuthAnswer> handle(const OAuthRequest& request) const;

 private:
  boost::asio::awaitable<OAuthAnswer> register_client(const OAuthRequest& request) const;
  boost::asio::awaitable<OAuthAnswer> manage(const Client& client,
                                             const OAuthRequest& request) const;
  boost::asio::awaitable<OAuthAnswer> update(const Client& client,
                                             const OAuthRequest& request) const;
  std::string client_uri(std::string_view client_id) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
