// An application's keys, made while the gateway runs, as WSO2's Developer Portal makes them: per
// application and key type (production, sandbox) one OAuth2 client, its consumer key (client_id)
// and secret. The secret is shown once, when made, and only its hash is stored. A key is
// registered in the store first and served from the next request on, on every worker; it
// survives a restart.
//
// The config file's clients are served beside these and are changed only in the file: a key
// that the file declares cannot be made again, given a new secret or removed here.
//
// Changes block on the store: make them from one thread (the gateway's control thread), never a
// worker. Whether the application exists is the caller's to check: the key manager does not know
// applications.
#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/client_directory.h"
#include "keymanager/server/server_context.h"
#include "security/identity/records.h"

namespace gatehouse::keymanager {

struct KeyRequest {
  std::string application_id;
  identity::KeyType key_type = identity::KeyType::production;
  std::vector<std::string> grant_types;  // empty: client_credentials
  std::vector<std::string> scopes;       // what it may be granted
  std::vector<std::string> redirect_uris;
  AccessTokenFormat access_token_format = AccessTokenFormat::jwt;
  std::optional<std::chrono::seconds> access_token_lifetime;   // nullopt: the settings'
  std::optional<std::chrono::seconds> refresh_token_lifetime;  // nullopt: the settings'
  // A client registering itself (RFC 7591). Its client id is chosen first, so that its
  // application can be named after it; empty: a new random one.
  std::string client_id;
  bool public_client = false;  // no secret: token_endpoint_auth_method none
  // Replaces the client's registration; nullopt: an update keeps it.
  std::optional<SelfRegistration> self_registration;
};

// The longest lifetimes a request may ask for. An access token cannot be revoked by rotating the
// signing key while it lives (the JWKS keeps its key), so its lifetime stays short.
inline constexpr std::chrono::seconds longest_access_token_lifetime = std::chrono::days(30);
inline constexpr std::chrono::seconds longest_refresh_token_lifetime = std::chrono::days(366);

// A client as just made or given a new secret: the secret, shown this once (empty for a public
// client).
struct IssuedKey {
  ClientPtr client;
  std::string secret;
};

struct KeyRefusal {
  enum Kind {
    invalid,    // the request is malformed: 400
    not_found,  // the application has no key of that type: 404
    conflict,   // it has one already: 409
    in_config,  // the config file declares that key: 409
    full,       // as many clients have registered themselves as may: 403
    store_failed,
  } kind;
  std::string message;
};

class ApplicationKeys {
 public:
  explicit ApplicationKeys(ServerContext& context) : context_(context) {}

  std::expected<IssuedKey, KeyRefusal> generate(const KeyRequest& request);
  // The key of the request's application and type, its settings replaced by the request's (as
  // generate() reads them); its consumer key and secret stay. Tokens issued before keep what
  // they were granted until they expire.
  std::expected<ClientPtr, KeyRefusal> update(const KeyRequest& request);
  // A new secret for the application's key of that type; the old one fails from now on.
  std::expected<IssuedKey, KeyRefusal> regenerate_secret(std::string_view application_id,
                                                         identity::KeyType key_type);
  // Removes the key, answering the client it was: tokens are no longer issued to it, and the
  // caller removes it from the application (which ends the admission of its tokens).
  std::expected<ClientPtr, KeyRefusal> remove(std::string_view application_id,
                                              identity::KeyType key_type);

  // The application's keys, the file's and the registered ones, production first.
  std::vector<ClientPtr> of_application(std::string_view application_id) const;
  // Every registered key (not the file's), for the gateway to add to its applications at start.
  std::vector<ClientPtr> registered() const;
  // Whether the config file declares this client (else the store registered it).
  bool in_config(std::string_view client_id) const;

 private:
  // Puts `client` in place of the registered one of its id: the store first, then the served
  // directory.
  std::expected<ClientPtr, KeyRefusal> replace_registered(const Client& client);
  // The key of that application and type that the store registered, or the refusal.
  std::expected<ClientPtr, KeyRefusal> registered_key(std::string_view application_id,
                                                      identity::KeyType key_type) const;

  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
