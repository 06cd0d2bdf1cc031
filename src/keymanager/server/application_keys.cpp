#include "keymanager/server/application_keys.h"

#include <algorithm>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/client_secret.h"
#include "keymanager/server/random_token.h"
#include "keymanager/server/registered_client.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::keymanager {
namespace {

KeyRefusal invalid(std::string message) {
  return KeyRefusal{KeyRefusal::invalid, std::move(message)};
}

KeyRefusal store_failed(const Error& error) {
  return KeyRefusal{KeyRefusal::store_failed,
                    "the key manager's store failed: " + error.describe()};
}

std::string key_name(std::string_view application_id, identity::KeyType key_type) {
  return "application '" + std::string(application_id) + "' " +
         std::string(tokens::key_type_label(key_type)) + " key";
}

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_scope_token(std::string_view scope) {
  return !scope.empty() && std::ranges::all_of(scope, [](char c) {
    return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
  });
}

std::optional<KeyRefusal> check_lifetime(std::optional<std::chrono::seconds> lifetime,
                                         std::chrono::seconds longest, std::string_view name) {
  if (!lifetime) return std::nullopt;
  if (lifetime->count() < 1 || *lifetime > longest) {
    return invalid(std::string(name) + " is between 1 and " + std::to_string(longest.count()) +
                   " seconds");
  }
  return std::nullopt;
}

// Whether the key manager can serve `request`'s client: known grants, scope tokens, lifetimes
// within bounds, redirect URIs for the grants that redirect.
std::optional<KeyRefusal> check_request(const KeyRequest& request, const GrantRegistry& grants) {
  for (const std::string& type : request.grant_types) {
    if (grants.find(type) == nullptr && type != implicit_grant_type) {
      return invalid("unknown grant type '" + type + "'");
    }
  }
  const auto uses = [&](std::string_view type) {
    return std::ranges::find(request.grant_types, type) != request.grant_types.end();
  };
  if ((uses("authorization_code") || uses(implicit_grant_type)) && request.redirect_uris.empty()) {
    return invalid("the authorization_code and implicit grants need a callback URL");
  }
  for (const std::string& scope : request.scopes) {
    if (!is_scope_token(scope)) return invalid("'" + scope + "' is not a scope");
  }
  if (auto refused = check_lifetime(request.access_token_lifetime, longest_access_token_lifetime,
                                    "the access token lifetime")) {
    return refused;
  }
  return check_lifetime(request.refresh_token_lifetime, longest_refresh_token_lifetime,
                        "the refresh token lifetime");
}

template <class T>
std::vector<T> deduplicated(std::vector<T> items) {
  std::vector<T> kept;
  for (T& item : items) {
    if (std::ranges::find(kept, item) == kept.end()) kept.push_back(std::move(item));
  }
  return kept;
}

// What `request` asks of a key, onto `client`: the settings' lifetimes where it names none.
void apply_request(const KeyRequest& request, const Settings& settings, Client& client) {
  client.grant_types = request.grant_types.empty() ? std::vector<std::string>{"client_credentials"}
                                                   : deduplicated(request.grant_types);
  client.scopes = deduplicated(request.scopes);
  client.redirect_uris = deduplicated(request.redirect_uris);
  client.access_token_lifetime =
      request.access_token_lifetime.value_or(settings.access_token_lifetime);
  client.refresh_token_lifetime =
      request.refresh_token_lifetime.value_or(settings.refresh_token_lifetime);
  client.access_token_format = request.access_token_format;
}

}  // namespace

bool ApplicationKeys::in_config(std::string_view client_id) const {
  return std::ranges::any_of(context_.settings().clients,
                             [&](const Client& client) { return client.client_id == client_id; });
}

std::expected<IssuedKey, KeyRefusal> ApplicationKeys::generate(const KeyRequest& request) {
  if (auto refused = check_request(request, context_.grants())) return std::unexpected(*refused);
  const auto directory = context_.clients();
  if (const ClientPtr held = directory->find_key(request.application_id, request.key_type)) {
    return std::unexpected(
        KeyRefusal{in_config(held->client_id) ? KeyRefusal::in_config : KeyRefusal::conflict,
                   key_name(request.application_id, request.key_type) + " exists already"});
  }
  ClientSecret secret;
  if (!request.public_client) secret = generate_client_secret();
  Client client;
  // 144 bits: unique without asking the store.
  client.client_id = request.client_id.empty() ? random_token(18) : request.client_id;
  client.secret_hash = std::move(secret.hash);
  client.public_client = request.public_client;
  client.self_registration = request.self_registration;
  apply_request(request, context_.settings(), client);
  client.application_id = request.application_id;
  client.key_type = request.key_type;

  auto changed = directory->with(client);
  if (!changed) return std::unexpected(invalid(changed.error()));
  const ClientRecord record = record_of(client, context_.now());
  auto stored =
      context_.store().run_blocking([&](GrantStore& store) { return store.put_client(record); });
  if (!stored) return std::unexpected(store_failed(stored.error()));
  if (!*stored) {
    // Another process sharing the store registered one meanwhile.
    return std::unexpected(
        KeyRefusal{KeyRefusal::conflict,
                   key_name(request.application_id, request.key_type) + " exists already"});
  }
  auto served = std::make_shared<const ClientDirectory>(std::move(*changed));
  ClientPtr made = served->find(client.client_id);
  context_.replace_clients(std::move(served));
  return IssuedKey{std::move(made), std::move(secret.secret)};
}

std::expected<ClientPtr, KeyRefusal> ApplicationKeys::registered_key(
    std::string_view application_id, identity::KeyType key_type) const {
  const ClientPtr held = context_.clients()->find_key(application_id, key_type);
  if (!held) {
    return std::unexpected(
        KeyRefusal{KeyRefusal::not_found, key_name(application_id, key_type) + " does not exist"});
  }
  if (in_config(held->client_id)) {
    return std::unexpected(KeyRefusal{
        KeyRefusal::in_config,
        key_name(application_id, key_type) + " is declared in the config file: change it there"});
  }
  return held;
}

std::expected<ClientPtr, KeyRefusal> ApplicationKeys::replace_registered(const Client& client) {
  auto changed = context_.clients()->with(client);
  if (!changed) return std::unexpected(invalid(changed.error()));
  const ClientRecord record = record_of(client, context_.now());
  auto stored = context_.store().run_blocking(
      [&](GrantStore& store) { return store.replace_client(record); });
  if (!stored) return std::unexpected(store_failed(stored.error()));
  if (!*stored) {
    // Another process sharing the store removed it meanwhile.
    return std::unexpected(
        KeyRefusal{KeyRefusal::not_found,
                   key_name(client.application_id, client.key_type) + " does not exist"});
  }
  auto served = std::make_shared<const ClientDirectory>(std::move(*changed));
  ClientPtr replaced = served->find(client.client_id);
  context_.replace_clients(std::move(served));
  return replaced;
}

std::expected<IssuedKey, KeyRefusal> ApplicationKeys::regenerate_secret(
    std::string_view application_id, identity::KeyType key_type) {
  auto held = registered_key(application_id, key_type);
  if (!held) return std::unexpected(std::move(held.error()));
  ClientSecret secret = generate_client_secret();
  Client client = **held;
  client.secret_hash = std::move(secret.hash);
  auto replaced = replace_registered(client);
  if (!replaced) return std::unexpected(std::move(replaced.error()));
  return IssuedKey{std::move(*replaced), std::move(secret.secret)};
}

std::expected<ClientPtr, KeyRefusal> ApplicationKeys::update(const KeyRequest& request) {
  if (auto refused = check_request(request, context_.grants())) return std::unexpected(*refused);
  auto held = registered_key(request.application_id, request.key_type);
  if (!held) return std::unexpected(std::move(held.error()));
  Client client = **held;
  apply_request(request, context_.settings(), client);
  if (request.self_registration) client.self_registration = request.self_registration;
  return replace_registered(client);
}

std::expected<ClientPtr, KeyRefusal> ApplicationKeys::remove(std::string_view application_id,
                                                             identity::KeyType key_type) {
  auto held = registered_key(application_id, key_type);
  if (!held) return std::unexpected(std::move(held.error()));
  const std::string& client_id = (*held)->client_id;
  auto removed = context_.store().run_blocking(
      [&](GrantStore& store) { return store.remove_client(client_id); });
  if (!removed) return std::unexpected(store_failed(removed.error()));
  context_.replace_clients(
      std::make_shared<const ClientDirectory>(context_.clients()->without(client_id)));
  return *held;
}

std::vector<ClientPtr> ApplicationKeys::of_application(std::string_view application_id) const {
  std::vector<ClientPtr> keys;
  for (identity::KeyType type : {identity::KeyType::production, identity::KeyType::sandbox}) {
    if (ClientPtr key = context_.clients()->find_key(application_id, type)) {
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

std::vector<ClientPtr> ApplicationKeys::registered() const {
  std::vector<ClientPtr> keys;
  for (const auto& [id, client] : context_.clients()->by_id()) {
    if (!client->application_id.empty() && !in_config(id)) keys.push_back(client);
  }
  return keys;
}

}  // namespace gatehouse::keymanager
