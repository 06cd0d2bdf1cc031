// A client registered through the admin listener, a command, or by itself (RFC 7591), between the
// form the store keeps (ClientRecord) and the one the key manager serves (Client). Such a client
// authenticates with its secret (client_secret_basic or client_secret_post) or is public, and
// always belongs to an application.
#pragma once

#include <expected>
#include <string>

#include "keymanager/server/client.h"
#include "keymanager/store/grant_store.h"
#include "security/auth/application_directory.h"

namespace gatehouse::keymanager {

ClientRecord record_of(const Client& client, UnixSeconds created_at);

// Refuses what no record written by record_of holds (an unknown key type or token format), as a
// store edited by hand might: the message names the client.
std::expected<Client, std::string> client_of(const ClientRecord& record);

std::string_view access_token_format_name(AccessTokenFormat format);

// The client as the gateway admits its tokens: a key of its application, issued by the built-in
// key manager (`resident`).
security::IssuedKey issued_key_of(const Client& client);

}  // namespace gatehouse::keymanager
