#include "keymanager/server/registration_endpoint.h"

#include <boost/json/object.hpp>

#include <string>

#include "http/message.h"
#include "keymanager/server/attempt_limits.h"
#include "keymanager/server/bearer_challenge.h"
#include "keymanager/server/client_metadata.h"
#include "keymanager/server/client_registrar.h"
#include "keymanager/server/client_secret.h"
#include "keymanager/server/endpoint_paths.h"
#include "keymanager/server/oauth_error.h"
#include "keymanager/server/random_token.h"
#include "observability/log.h"
#include "security/jose/sha256.h"
#include "security/jose/strict_json.h"

namespace gatehouse::keymanager {
namespace {

namespace json = boost::json;

OAuthAnswer bad_request(std::string_view error, std::string_view description) {
  return no_store_answer(400, {{"error", error}, {"error_description", description}});
}

OAuthAnswer invalid_token(const ServerContext& context, std::string_view description) {
  return bearer_refusal(401, context.settings().realm, "invalid_token", description);
}

// A refusal of the registrar: what the client can mend is its metadata; the rest is ours.
OAuthAnswer refused(const KeyRefusal& refusal, const ServerContext& context) {
  if (refusal.kind == KeyRefusal::invalid) {
    return bad_request("invalid_client_metadata", refusal.message);
  }
  if (refusal.kind == KeyRefusal::not_found) {
    return invalid_token(context, "the client is not registered");
  }
  if (refusal.kind == KeyRefusal::full) {
    return no_store_answer(403,
                           {{"error", "access_denied"}, {"error_description", refusal.message}});
  }
  observability::log::error("oauth2_server: client registration failed: {}", refusal.message);
  return no_store_answer(500, {{"error", "server_error"},
                               {"error_description", "the registration could not be kept"}});
}

// The request's JSON body, or the answer refusing it.
std::expected<json::object, OAuthAnswer> metadata_body(const OAuthRequest& request) {
  auto parsed = jose::parse_object_strict(request.body);
  if (!http::has_media_type(request.content_type, "application/json") || !parsed) {
    return std::unexpected(bad_request(
        "invalid_client_metadata",
        "the body must be one JSON object, each member once (Content-Type: application/json)"));
  }
  return std::move(*parsed);
}

KeyRequest key_request(const ClientMetadata& metadata) {
  return KeyRequest{.grant_types = metadata.grant_types,
                    .scopes = metadata.scopes,
                    .redirect_uris = metadata.redirect_uris,
                    .public_client = metadata.public_client()};
}

}  // namespace

boost::asio::awaitable<OAuthAnswer> RegistrationEndpoint::handle(
    const OAuthRequest& request) const {
  const std::string_view path = request.path;
  if (!context_.settings().registration || context_.registrar() == nullptr) {
    co_return no_store_answer(404, {{"error", "invalid_request"},
                                    {"error_description", "client registration is not offered"}});
  }
  if (path == paths::registration) {
    if (request.method != "POST") co_return method_not_allowed("POST");
    co_return co_await register_client(request);
  }
  const std::string_view client_id = path.substr(paths::registration.size() + 1);
  const auto token = bearer_token(request.authorization);
  if (!token) co_return invalid_token(context_, "the registration access token is required");
  const ClientPtr client =
      client_id.find('/') == std::string_view::npos ? context_.clients()->find(client_id) : nullptr;
  // The same answer for an unknown client as for a wrong token: neither tells which ids exist.
  if (!client || !client->self_registration ||
      !client_secret_matches(*token, client->self_registration->token_hash)) {
    co_return invalid_token(context_, "the registration access token is not valid for this client");
  }
  co_return co_await manage(*client, request);
}

boost::asio::awaitable<OAuthAnswer> RegistrationEndpoint::register_client(
    const OAuthRequest& request) const {
  const RegistrationPolicy& policy = *context_.settings().registration;
  if (!policy.open) {
    // An initial access token is a secret the operator chose, guessed like a client's: wrong ones
    // count for the address (attempt_limits.h), and an address shut out is not heard.
    if (const int64_t wait = attempt_wait(context_, request.client_ip); wait > 0) {
      co_return error_answer(shut_out_error(wait), context_.settings().realm);
    }
    const auto token = bearer_token(request.authorization);
    if (!token) co_return invalid_token(context_, "an initial access token is required");
    if (!jose::sha256_listed(*token, policy.initial_token_digests)) {
      count_failure(context_, request.client_ip, {});
      co_return invalid_token(context_, "the initial access token is not valid");
    }
  }
  auto body = metadata_body(request);
  if (!body) co_return std::move(body.error());
  auto metadata = read_client_metadata(*body, policy);
  if (!metadata) co_return bad_request(metadata.error().error, metadata.error().description);

  KeyRequest key = key_request(*metadata);
  key.client_id = random_token(18);
  key.application_id = key.client_id;
  ClientSecret registration_token = generate_client_secret();
  key.self_registration = SelfRegistration{.token_hash = std::move(registration_token.hash),
                                           .metadata = kept_metadata(*metadata),
                                           .issued_at = context_.now()};
  const json::value* name = metadata->descriptive.if_contains("client_name");
  const std::string application_name = name ? std::string(name->get_string()) : key.client_id;
  auto issued = co_await context_.registrar()->add(key, application_name);
  if (!issued) co_return refused(issued.error(), context_);
  co_return no_store_answer(
      201, registration_json(*issued->client, issued->secret, registration_token.secret,
                             client_uri(issued->client->client_id)));
}

boost::asio::awaitable<OAuthAnswer> RegistrationEndpoint::manage(
    const Client& client, const OAuthRequest& request) const {
  if (request.method == "GET") {
    co_return no_store_answer(200, registration_json(client, {}, {}, client_uri(client.client_id)));
  }
  if (request.method == "PUT") co_return co_await update(client, request);
  if (request.method != "DELETE") co_return method_not_allowed("GET, PUT, DELETE");
  auto removed = co_await context_.registrar()->remove(client.application_id);
  if (!removed) co_return refused(removed.error(), context_);
  co_return OAuthAnswer{.status = 204, .headers = {{"Cache-Control", "no-store"}}};
}

boost::asio::awaitable<OAuthAnswer> RegistrationEndpoint::update(
    const Client& client, const OAuthRequest& request) const {
  auto body = metadata_body(request);
  if (!body) co_return std::move(body.error());
  // RFC 7592 section 2.2: the body names the client it replaces.
  const json::value* named = body->if_contains("client_id");
  if (named == nullptr || !named->is_string() || named->get_string() != client.client_id) {
    co_return bad_request("invalid_request", "\"client_id\" must be the registered client's id");
  }
  auto metadata = read_client_metadata(*body, *context_.settings().registration);
  if (!metadata) co_return bad_request(metadata.error().error, metadata.error().description);
  if (metadata->token_endpoint_auth_method != registered_auth_method(client)) {
    co_return bad_request("invalid_client_metadata",
                          "token_endpoint_auth_method cannot change: register a new client");
  }
  KeyRequest key = key_request(*metadata);
  key.application_id = client.application_id;
  key.key_type = client.key_type;
  key.self_registration = SelfRegistration{.token_hash = client.self_registration->token_hash,
                                           .metadata = kept_metadata(*metadata),
                                           .issued_at = client.self_registration->issued_at};
  auto updated = co_await context_.registrar()->update(key);
  if (!updated) co_return refused(updated.error(), context_);
  co_return no_store_answer(200,
                            registration_json(**updated, {}, {}, client_uri(client.client_id)));
}

std::string RegistrationEndpoint::client_uri(std::string_view client_id) const {
  return std::string(context_.endpoint_base()) + std::string(paths::registration) + "/" +
         std::string(client_id);
}

}  // namespace gatehouse::keymanager
