#include "admin/application_key_routes.h"

#include <boost/json/array.hpp>
#include <boost/url/pct_string_view.hpp>

#include <optional>
#include <string>
#include <vector>

#include "admin/responses.h"
#include "config/oauth2_server_model.h"
#include "config/uri_rules.h"
#include "keymanager/server/application_keys.h"
#include "keymanager/server/client.h"
#include "keymanager/server/registered_client.h"
#include "security/auth/application_directory.h"
#include "security/jose/strict_json.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;
using keymanager::AccessTokenFormat;
using keymanager::ClientPtr;
using keymanager::KeyRefusal;

constexpr std::string_view kApplicationKeysPrefix = "/applications/";
constexpr std::string_view kKeys = "/keys";

// /applications/{application}/keys[/{key type}[/{action}]], the application percent-decoded.
struct KeysPath {
  std::string application_id;
  std::string_view key_type;  // empty: the whole list
  std::string_view action;    // "generate", "regenerate-secret"; empty: the key itself
};

std::optional<KeysPath> parse_keys_path(std::string_view path) {
  if (!path.starts_with(kApplicationKeysPrefix)) return std::nullopt;
  std::string_view rest = path.substr(kApplicationKeysPrefix.size());
  const size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  auto application = boost::urls::make_pct_string_view(rest.substr(0, slash));
  rest.remove_prefix(slash);
  if (!application || application->empty() || !rest.starts_with(kKeys)) return std::nullopt;
  rest.remove_prefix(kKeys.size());
  KeysPath parsed{application->decode(), {}, {}};
  if (rest.empty()) return parsed;
  if (!rest.starts_with('/') || rest.size() == 1) return std::nullopt;
  rest.remove_prefix(1);
  const size_t next = rest.find('/');
  parsed.key_type = rest.substr(0, next);
  if (next == std::string_view::npos) return parsed;
  parsed.action = rest.substr(next + 1);
  if (parsed.action.empty() || parsed.action.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return parsed;
}

json::array string_array(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

// A key as the Developer Portal shows it; the secret only when just made.
json::object key_json(const keymanager::Client& client, const std::string* secret) {
  json::object key{
      {"keyManager", config::resident_key_manager},
      {"consumerKey", client.client_id},
      {"keyType", tokens::key_type_label(client.key_type)},
      {"supportedGrantTypes", string_array(client.grant_types)},
      {"callbackUrls", string_array(client.redirect_uris)},
      {"scopes", string_array(client.scopes)},
      {"tokenType", client.access_token_format == AccessTokenFormat::opaque ? "OPAQUE" : "JWT"},
      {"validityTime", client.access_token_lifetime.count()},
      {"refreshTokenValidityTime", client.refresh_token_lifetime.count()},
  };
  if (secret != nullptr) key["consumerSecret"] = *secret;
  return key;
}

AdminResponse refusal_response(const KeyRefusal& refusal) {
  switch (refusal.kind) {
    case KeyRefusal::invalid:
      return bad_request(refusal.message);
    case KeyRefusal::not_found:
      return not_found(refusal.message);
    case KeyRefusal::conflict:
    case KeyRefusal::in_config:
      return conflict(refusal.message);
    case KeyRefusal::full:  // only self-registration is capped
    case KeyRefusal::store_failed:
      break;
  }
  return server_error(refusal.message);
}

std::expected<std::vector<std::string>, std::string> read_string_array(const json::value& value,
                                                                       std::string_view name) {
  const std::string fail = "\"" + std::string(name) + "\" must be an array of strings";
  if (!value.is_array()) return std::unexpected(fail);
  std::vector<std::string> items;
  for (const json::value& item : value.get_array()) {
    if (!item.is_string()) return std::unexpected(fail);
    items.emplace_back(item.get_string());
  }
  return items;
}

std::expected<std::chrono::seconds, std::string> read_seconds(const json::value& value,
                                                              std::string_view name) {
  if (!value.is_int64()) {
    return std::unexpected("\"" + std::string(name) + "\" must be a number of seconds");
  }
  return std::chrono::seconds(value.get_int64());
}

// One member of a generate body into `request`, or why it cannot be.
std::expected<void, std::string> read_generate_member(std::string_view name,
                                                      const json::value& value,
                                                      keymanager::KeyRequest& request) {
  if (name == "grantTypesToBeSupported" || name == "scopes" || name == "callbackUrls") {
    auto items = read_string_array(value, name);
    if (!items) return std::unexpected(items.error());
    auto& target = name == "scopes"         ? request.scopes
                   : name == "callbackUrls" ? request.redirect_uris
                                            : request.grant_types;
    target.insert(target.end(), items->begin(), items->end());
  } else if (name == "callbackUrl") {
    if (!value.is_string()) return std::unexpected("\"callbackUrl\" must be a string");
    if (!value.get_string().empty()) request.redirect_uris.emplace_back(value.get_string());
  } else if (name == "validityTime" || name == "refreshTokenValidityTime") {
    auto seconds = read_seconds(value, name);
    if (!seconds) return std::unexpected(seconds.error());
    (name == "validityTime" ? request.access_token_lifetime : request.refresh_token_lifetime) =
        *seconds;
  } else if (name == "tokenType") {
    const bool jwt = value.is_string() && value.get_string() == "JWT";
    if (!jwt && !(value.is_string() && value.get_string() == "OPAQUE")) {
      return std::unexpected("\"tokenType\" is \"JWT\" or \"OPAQUE\"");
    }
    request.access_token_format = jwt ? AccessTokenFormat::jwt : AccessTokenFormat::opaque;
  } else {
    return std::unexpected("unknown member '" + std::string(name) +
                           "'; expected grantTypesToBeSupported, scopes, callbackUrl, "
                           "callbackUrls, validityTime, refreshTokenValidityTime, tokenType");
  }
  return {};
}

std::expected<keymanager::KeyRequest, std::string> read_generate_body(std::string_view body,
                                                                      std::string application_id,
                                                                      identity::KeyType key_type) {
  keymanager::KeyRequest request{.application_id = std::move(application_id), .key_type = key_type};
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return request;
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  for (const auto& member : *parsed) {
    if (auto read = read_generate_member(member.key(), member.value(), request); !read) {
      return std::unexpected(read.error());
    }
  }
  for (const std::string& uri : request.redirect_uris) {
    if (auto broken = config::check_redirect_uri(uri)) {
      return std::unexpected("callback URL '" + uri + "' " + *broken);
    }
  }
  return request;
}

// The key's consumer key joins its application (or leaves it) on every worker.
std::optional<AdminResponse> update_application(const ApplicationKeyUpdates& updates,
                                                const keymanager::Client& client, bool added) {
  security::ApplicationDirectory& directory = *updates.subscriptions.directory;
  auto store = added ? directory.put_issued_key(keymanager::issued_key_of(client))
                     : directory.remove_issued_key(config::resident_key_manager, client.client_id);
  if (!store) {
    return server_error(store.error().message);
  }
  updates.subscriptions.install(*store);
  return std::nullopt;
}

AdminResponse generate(const KeysPath& path, identity::KeyType key_type, std::string_view body,
                       const ApplicationKeyUpdates& updates) {
  auto request = read_generate_body(body, path.application_id, key_type);
  if (!request) return bad_request(request.error());
  auto issued = updates.keys->generate(*request);
  if (!issued) return refusal_response(issued.error());
  if (auto failed = update_application(updates, *issued->client, true)) {
    return *failed;
  }
  return json_response(200, key_json(*issued->client, &issued->secret));
}

AdminResponse regenerate_secret(const KeysPath& path, identity::KeyType key_type,
                                const ApplicationKeyUpdates& updates) {
  auto issued = updates.keys->regenerate_secret(path.application_id, key_type);
  if (!issued) return refusal_response(issued.error());
  return json_response(200, json::object{{"consumerKey", issued->client->client_id},
                                         {"consumerSecret", issued->secret}});
}

AdminResponse list_keys(const KeysPath& path, const ApplicationKeyUpdates& updates) {
  json::array list;
  for (const ClientPtr& client : updates.keys->of_application(path.application_id)) {
    list.emplace_back(key_json(*client, nullptr));
  }
  const auto count = static_cast<int64_t>(list.size());
  return json_response(200, json::object{{"count", count}, {"list", std::move(list)}});
}

AdminResponse update_key(const KeysPath& path, identity::KeyType key_type, std::string_view body,
                         const ApplicationKeyUpdates& updates) {
  auto request = read_generate_body(body, path.application_id, key_type);
  if (!request) return bad_request(request.error());
  auto updated = updates.keys->update(*request);
  if (!updated) return refusal_response(updated.error());
  return json_response(200, key_json(**updated, nullptr));
}

AdminResponse one_key(std::string_view method, const KeysPath& path, identity::KeyType key_type,
                      std::string_view body, const ApplicationKeyUpdates& updates) {
  if (method == "PUT") return update_key(path, key_type, body, updates);
  if (method == "DELETE") {
    auto removed = updates.keys->remove(path.application_id, key_type);
    if (!removed) return refusal_response(removed.error());
    if (auto failed = update_application(updates, **removed, false)) {
      return *failed;
    }
    return AdminResponse{.status = 204};
  }
  if (method != "GET" && method != "HEAD") return not_allowed(method, "GET, HEAD, PUT, DELETE");
  for (const ClientPtr& client : updates.keys->of_application(path.application_id)) {
    if (client->key_type == key_type) return json_response(200, key_json(*client, nullptr));
  }
  return not_found("application '" + path.application_id + "' has no " +
                   std::string(tokens::key_type_label(key_type)) + " key");
}

}  // namespace

bool is_application_keys_path(std::string_view path) {
  return parse_keys_path(path).has_value();
}

AdminResponse route_application_keys(std::string_view method, std::string_view path,
                                     std::string_view body, const ApplicationKeyUpdates& updates) {
  const std::optional<KeysPath> parsed = parse_keys_path(path);
  if (!parsed) return bad_request("not an application keys path");
  if (!updates.subscriptions.directory->has_application(parsed->application_id)) {
    return not_found("no application '" + parsed->application_id + "'");
  }
  if (parsed->key_type.empty()) {
    if (method != "GET" && method != "HEAD") return not_allowed(method, "GET, HEAD");
    return list_keys(*parsed, updates);
  }
  const std::optional<identity::KeyType> key_type = tokens::parse_key_type_label(parsed->key_type);
  if (!key_type) {
    return bad_request("the key type is PRODUCTION or SANDBOX, not '" +
                       std::string(parsed->key_type) + "'");
  }
  if (parsed->action.empty()) return one_key(method, *parsed, *key_type, body, updates);
  const bool generates = parsed->action == "generate";
  if (!generates && parsed->action != "regenerate-secret") {
    return not_found("no action '" + std::string(parsed->action) +
                     "'; try generate or regenerate-secret");
  }
  if (method != "POST") return not_allowed(method, "POST");
  return generates ? generate(*parsed, *key_type, body, updates)
                   : regenerate_secret(*parsed, *key_type, updates);
}

}  // namespace gatehouse::admin
