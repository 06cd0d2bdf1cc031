#include "keymanager/server/authorization_request.h"

#include <algorithm>

#include "keymanager/server/id_token.h"
#include "keymanager/server/pkce.h"
#include "keymanager/server/scope.h"

namespace gatehouse::keymanager {

namespace json = boost::json;

namespace {

constexpr size_t max_carried_value = 1024;  // state, nonce: they travel in URLs and forms

using Result = std::expected<AuthorizationRequest, AuthorizationFailure>;

Result on_page(std::string description) {
  return std::unexpected(
      AuthorizationFailure{{OAuthErrorCode::invalid_request, std::move(description)}, {}, {}});
}

// The redirect_uri the request names, or the client's only one; nullopt when neither applies.
std::optional<std::string> redirect_uri_of(const Form& parameters, const Client& client) {
  if (const auto given = parameters.get("redirect_uri")) {
    // Exact string comparison (Security BCP section 4.1.3): no pattern, no normalisation.
    if (std::ranges::find(client.redirect_uris, *given) == client.redirect_uris.end()) {
      return std::nullopt;
    }
    return std::string(*given);
  }
  if (client.redirect_uris.size() != 1) return std::nullopt;
  return client.redirect_uris.front();
}

std::expected<Prompt, std::string> read_prompt(std::optional<std::string_view> written) {
  Prompt prompt;
  if (!written) return prompt;
  const std::vector<std::string> values = split_scope(*written);  // space-separated likewise
  for (const std::string& value : values) {
    if (value == "none") {
      prompt.none = true;
    } else if (value == "login") {
      prompt.login = true;
    } else if (value == "consent") {
      prompt.consent = true;
    } else {
      return std::unexpected("prompt may be none, login or consent");
    }
  }
  if (prompt.none && values.size() > 1) return std::unexpected("prompt=none stands alone");
  return prompt;
}

// An error of the PKCE parameters; nullopt when they are acceptable.
std::optional<std::string> pkce_error(std::optional<std::string_view> challenge,
                                      std::optional<std::string_view> method,
                                      const Client& client) {
  if (!challenge) {
    if (method) return "code_challenge_method needs a code_challenge";
    if (client.public_client) return "a public client must send a code_challenge (PKCE, S256)";
    return std::nullopt;
  }
  const std::string_view used = method.value_or(pkce_plain);
  if (used != pkce_s256 && used != pkce_plain) return "code_challenge_method must be S256 or plain";
  if (used == pkce_plain && client.public_client) return "a public client must use S256";
  // An S256 challenge is the base64url of 32 bytes: 43 characters.
  if (!is_pkce_value(*challenge) || (used == pkce_s256 && challenge->size() != 43)) {
    return "the code_challenge is malformed";
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> authorizable_scopes(const Client& client) {
  std::vector<std::string> scopes = client.scopes;
  if (std::ranges::find(scopes, openid_scope) == scopes.end()) scopes.emplace_back(openid_scope);
  return scopes;
}

std::expected<std::string, OAuthError> authorization_scope(
    std::optional<std::string_view> requested, const Client& client) {
  if (!requested) return join_scope(client.scopes);
  return grant_scope(requested, authorizable_scopes(client));
}

Result read_authorization_request(const Form& parameters, const ClientDirectory& clients) {
  const auto client_id = parameters.get("client_id");
  if (!client_id) return on_page("client_id is required");
  const ClientPtr client = clients.find(*client_id);
  if (client == nullptr) return on_page("the client is unknown");
  return read_authorization_request(parameters, *client);
}

Result read_authorization_request(const Form& parameters, const Client& client) {
  std::optional<std::string> redirect_uri = redirect_uri_of(parameters, client);
  if (!redirect_uri) return on_page("the redirect_uri is not one the client registered");

  AuthorizationRequest request{.client_id = client.client_id,
                               .redirect_uri = std::move(*redirect_uri),
                               .redirect_uri_given = parameters.contains("redirect_uri"),
                               .state = std::string(parameters.get("state").value_or("")),
                               .nonce = std::string(parameters.get("nonce").value_or(""))};
  const auto fail = [&request](OAuthErrorCode code, std::string description) -> Result {
    return std::unexpected(AuthorizationFailure{{code, std::move(description)},
                                                request.redirect_uri,
                                                request.state,
                                                request.response_type == ResponseType::token});
  };
  if (request.state.size() > max_carried_value || request.nonce.size() > max_carried_value) {
    request.state.clear();  // not echoed back either
    return fail(OAuthErrorCode::invalid_request, "state and nonce are limited to 1024 characters");
  }
  const auto response_type = parameters.get("response_type");
  if (!response_type) return fail(OAuthErrorCode::invalid_request, "response_type is required");
  if (*response_type == "token") {
    request.response_type = ResponseType::token;
  } else if (*response_type != "code") {
    return fail(OAuthErrorCode::unsupported_response_type, "response_type must be code or token");
  }
  const bool implicit = request.response_type == ResponseType::token;
  if (!client.may_use(implicit ? implicit_grant_type : authorization_code_grant_type)) {
    return fail(OAuthErrorCode::unauthorized_client, "the client may not use this grant type");
  }
  const std::string_view response_mode = implicit ? "fragment" : "query";
  if (const auto mode = parameters.get("response_mode"); mode && *mode != response_mode) {
    return fail(OAuthErrorCode::invalid_request,
                "response_mode must be " + std::string(response_mode));
  }
  // Parameters inside a request object would differ from these unseen: refused, not ignored.
  if (parameters.contains("request") || parameters.contains("request_uri")) {
    return fail(OAuthErrorCode::invalid_request, "request objects are not supported");
  }
  auto scope = authorization_scope(parameters.get("scope"), client);
  if (!scope) return fail(scope.error().code, scope.error().description);
  request.scope = std::move(*scope);

  // PKCE binds a code to its redemption; the implicit grant has no code.
  if (!implicit) {
    const auto challenge = parameters.get("code_challenge");
    const auto method = parameters.get("code_challenge_method");
    if (auto broken = pkce_error(challenge, method, client)) {
      return fail(OAuthErrorCode::invalid_request, std::move(*broken));
    }
    if (challenge) {
      request.code_challenge = std::string(*challenge);
      request.code_challenge_method = std::string(method.value_or(pkce_plain));
    }
  }
  auto prompt = read_prompt(parameters.get("prompt"));
  if (!prompt) return fail(OAuthErrorCode::invalid_request, std::move(prompt.error()));
  request.prompt = *prompt;
  return request;
}

json::object request_claims(const AuthorizationRequest& request) {
  return json::object{
      {"client_id", request.client_id},
      {"redirect_uri", request.redirect_uri},
      {"redirect_uri_given", request.redirect_uri_given},
      {"scope", request.scope},
      {"state", request.state},
      {"nonce", request.nonce},
      {"code_challenge", request.code_challenge},
      {"code_challenge_method", request.code_challenge_method},
      {"response_type", request.response_type == ResponseType::token ? "token" : "code"},
  };
}

std::optional<AuthorizationRequest> request_of_claims(const json::object& claims) {
  AuthorizationRequest request;
  for (const auto& [name, member] : {std::pair{"client_id", &request.client_id},
                                     {"redirect_uri", &request.redirect_uri},
                                     {"scope", &request.scope},
                                     {"state", &request.state},
                                     {"nonce", &request.nonce},
                                     {"code_challenge", &request.code_challenge},
                                     {"code_challenge_method", &request.code_challenge_method}}) {
    const json::value* value = claims.if_contains(name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    *member = std::string(value->get_string());
  }
  const json::value* given = claims.if_contains("redirect_uri_given");
  if (given == nullptr || !given->is_bool()) return std::nullopt;
  request.redirect_uri_given = given->get_bool();
  const json::value* response_type = claims.if_contains("response_type");
  if (response_type == nullptr || !response_type->is_string()) return std::nullopt;
  request.response_type =
      response_type->get_string() == "token" ? ResponseType::token : ResponseType::code;
  return request;
}

}  // namespace gatehouse::keymanager
