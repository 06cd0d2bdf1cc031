// urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693): a client trades a token it was
// given (subject_token) for an access token of its own for the same user, optionally naming
// itself or another party as the actor (actor_token), for delegation.
//
// Parameters:
//   subject_token, subject_token_type  an access token this key manager issued (to any client;
//       a JWT or an opaque one; valid and not revoked) or a JWT of a trusted issuer
//       (trusted_assertion.h: accepted while valid, as often as asked); which of the two is told
//       by its iss, and a token that is no JWT can only be ours. Types:
//       ...:token-type:access_token or ...:jwt.
//   actor_token, actor_token_type      optional, the same kinds; its subject becomes act.sub.
//       A subject token with a may_act claim (section 4.4) lets only the party it names act for
//       its subject: each claim may_act names, the actor has with that value, the actor being
//       the actor token, or without one the client (its client_id, as client_id and sub).
//   requested_token_type               optional: ...:token-type:access_token (the default), an
//       access token in the client's format; ...:token-type:jwt, one that is a JWT whatever
//       the client's format, for a party that reads it offline. Other types (refresh and ID
//       tokens, SAML assertions) are invalid_request: a delegated token is short-lived and
//       renewed by exchanging again.
//   scope                              within the subject token's scope (a trusted JWT without
//       one does not limit it) and the client's; all of that when none is asked.
//   audience, resource                 the new token's aud (one target: both must then agree).
//       Allowed: the key manager's own audience and the client's `audiences`, so a client
//       addresses tokens only to the services it was registered for; else invalid_target.
// The new token: sub the subject token's, client_id the client, act {sub: actor, act: the subject
// token's own act} when an actor is given (else the subject token's act is kept), and it expires
// no later than the subject token; of the client's format. No refresh token.
#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "keymanager/server/access_token_resolution.h"
#include "keymanager/server/grant.h"
#include "keymanager/server/scope.h"
#include "keymanager/server/server_context.h"
#include "keymanager/server/token_issuance.h"
#include "keymanager/server/trusted_assertion.h"
#include "security/jose/claims.h"
#include "security/jose/jws.h"

namespace gatehouse::keymanager {

namespace {

namespace json = boost::json;

constexpr std::string_view access_token_type = "urn:ietf:params:oauth:token-type:access_token";
constexpr std::string_view jwt_token_type = "urn:ietf:params:oauth:token-type:jwt";

// What the grant takes from a subject or actor token once it is verified.
struct PresentedToken {
  std::string subject;
  std::optional<std::vector<std::string>> scope;  // nullopt: the token does not limit it
  UnixSeconds expires_at = 0;
  json::object claims;  // all of them, which a may_act claim is matched against
};

OAuthError bad_exchange_request(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_request, std::move(description)};
}

OAuthError actor_not_allowed() {
  return OAuthError{OAuthErrorCode::invalid_grant,
                    "the subject token's may_act does not name this actor"};
}

// A token and its type, both or neither; `name` is "subject" or "actor".
std::expected<std::optional<std::string_view>, OAuthError> token_parameter(const Form& form,
                                                                           std::string_view name) {
  const std::string prefix(name);
  const auto token = form.get(prefix + "_token");
  const auto type = form.get(prefix + "_token_type");
  if (!token && !type) return std::nullopt;
  if (!token || !type) {
    return std::unexpected(
        bad_exchange_request(prefix + "_token and " + prefix + "_token_type go together"));
  }
  if (*type != access_token_type && *type != jwt_token_type) {
    return std::unexpected(bad_exchange_request("unsupported " + prefix + "_token_type"));
  }
  return token;
}

// The audience the new token is for: the key manager's own unless one is asked and allowed.
std::expected<std::string, OAuthError> exchange_target(const Form& form, const Client& client,
                                                       const ServerContext& context) {
  const auto audience = form.get("audience");
  const auto resource = form.get("resource");
  if (audience && resource && *audience != *resource) {
    return std::unexpected(
        OAuthError{OAuthErrorCode::invalid_target, "audience and resource name different targets"});
  }
  const auto target = audience ? audience : resource;
  if (!target || *target == context.audience()) return std::string(context.audience());
  if (std::ranges::find(client.audiences, *target) == client.audiences.end()) {
    return std::unexpected(
        OAuthError{OAuthErrorCode::invalid_target, "the client may not address this audience"});
  }
  return std::string(*target);
}

// The token's act or may_act claim, when it is an object.
std::optional<json::object> object_claim(const json::object& claims, std::string_view name) {
  const auto found = claims.find(name);
  if (found == claims.end() || !found->value().is_object()) return std::nullopt;
  return found->value().get_object();
}

// Whether the subject token lets this actor act for it: it names no party (no may_act), or every
// claim its may_act names the actor's claims hold with the same value.
bool may_act(const PresentedToken& subject, const json::object& actor) {
  const auto allowed = object_claim(subject.claims, "may_act");
  if (!allowed) return true;
  return std::ranges::all_of(*allowed, [&actor](const json::key_value_pair& claim) {
    const auto held = actor.find(claim.key());
    return held != actor.end() && held->value() == claim.value();
  });
}

// An access token of this key manager, a JWT or an opaque one: valid, not revoked.
std::expected<PresentedToken, OAuthError> own_access_token(ServerContext& context,
                                                           std::string_view token,
                                                           UnixSeconds now) {
  const auto claims = resolve_access_token(context, token, now);
  if (!claims) {
    return std::unexpected(OAuthError{OAuthErrorCode::invalid_grant, "the token is invalid"});
  }
  const jose::Claims held(*claims);
  return PresentedToken{.subject = std::string(held.sub()),
                        .scope = split_scope(held.string_claim("scope")),
                        .expires_at = held.time_claim("exp").value_or(now),
                        .claims = *claims};
}

boost::asio::awaitable<std::expected<PresentedToken, OAuthError>> presented_token(
    ServerContext& context, std::string_view token, UnixSeconds now) {
  // Ours: a JWT of our issuer, or anything that is no JWT (an opaque token of ours, or nothing).
  const auto jws = jose::decode_jws(token);
  if (!jws || jose::Claims(jws->payload()).iss() == context.settings().issuer) {
    co_return own_access_token(context, token, now);
  }
  auto trusted = co_await accept_trusted_assertion(context, token, now, TrustedJwtUse::while_valid);
  if (!trusted) co_return std::unexpected(std::move(trusted.error()));
  const jose::Claims claims(trusted->claims);
  PresentedToken presented{.subject = std::move(trusted->subject),
                           .scope = std::nullopt,
                           .expires_at = claims.time_claim("exp").value_or(now),
                           .claims = trusted->claims};
  if (const json::value* scope = claims.get("scope"); scope && scope->is_string()) {
    presented.scope = split_scope(scope->get_string());
  }
  co_return presented;
}

// The scopes both the subject token and the client have.
std::vector<std::string> exchangeable_scopes(const PresentedToken& subject, const Client& client) {
  if (!subject.scope) return client.scopes;
  std::vector<std::string> both;
  for (const std::string& scope : *subject.scope) {
    if (std::ranges::find(client.scopes, scope) != client.scopes.end()) both.push_back(scope);
  }
  return both;
}

class TokenExchangeGrant final : public Grant {
 public:
  std::string_view type() const override {
    return "urn:ietf:params:oauth:grant-type:token-exchange";
  }

  boost::asio::awaitable<std::expected<IssuedTokens, OAuthError>> exchange(
      const GrantRequest& request, ServerContext& context) const override {
    const Form& form = request.form;
    const auto subject_token = token_parameter(form, "subject");
    if (!subject_token) co_return std::unexpected(subject_token.error());
    if (!*subject_token)
      co_return std::unexpected(bad_exchange_request("subject_token is required"));
    const auto actor_token = token_parameter(form, "actor");
    if (!actor_token) co_return std::unexpected(actor_token.error());
    const std::string_view requested = form.get("requested_token_type").value_or(access_token_type);
    if (requested != access_token_type && requested != jwt_token_type) {
      co_return std::unexpected(bad_exchange_request("unsupported requested_token_type"));
    }
    const auto target = exchange_target(form, request.client, context);
    if (!target) co_return std::unexpected(target.error());

    auto subject = co_await presented_token(context, **subject_token, request.now);
    if (!subject) co_return std::unexpected(std::move(subject.error()));
    auto scope = grant_scope(form.get("scope"), exchangeable_scopes(*subject, request.client));
    if (!scope) co_return std::unexpected(std::move(scope.error()));
    std::optional<json::object> act = object_claim(subject->claims, "act");
    if (*actor_token) {
      auto actor = co_await presented_token(context, **actor_token, request.now);
      if (!actor) co_return std::unexpected(std::move(actor.error()));
      if (!may_act(*subject, actor->claims)) co_return std::unexpected(actor_not_allowed());
      json::object current{{"sub", actor->subject}};
      if (act) current["act"] = std::move(*act);
      act = std::move(current);
    } else if (!may_act(*subject, {{"client_id", request.client.client_id},
                                   {"sub", request.client.client_id}})) {
      co_return std::unexpected(actor_not_allowed());
    }

    const UnixSeconds expires_at =
        std::min(subject->expires_at, request.now + request.client.access_token_lifetime.count());
    AccessTokenClaims claims =
        access_token_claims(context, request.client, subject->subject, *scope, request.now,
                            expires_at, request.certificate_thumbprint);
    claims.audience = *target;
    claims.actor = act ? &*act : nullptr;
    // A JWT whatever the client's format, when that is what was asked.
    std::expected<AccessToken, OAuthError> access;
    if (requested == jwt_token_type) {
      access = sign_access_token(context.keys(), claims);
    } else {
      access = co_await issue_access_token(context, request.client, claims);
    }
    if (!access) co_return std::unexpected(std::move(access.error()));
    co_return IssuedTokens{
        .access_token = std::move(*access),
        .scope = std::move(*scope),
        .issued_token_type = requested == jwt_token_type ? jwt_token_type : access_token_type};
  }
};

}  // namespace

std::unique_ptr<const Grant> make_token_exchange_grant() {
  return std::make_unique<TokenExchangeGrant>();
}

}  // namespace gatehouse::keymanager
