#include "keymanager/server/client_assertion.h"

#include "security/jose/claims.h"

namespace gatehouse::keymanager {

namespace {

OAuthError assertion_refused(std::string description) {
  return OAuthError{OAuthErrorCode::invalid_client, std::move(description)};
}

}  // namespace

bool uses_client_assertion(const Form& form) {
  return form.contains("client_assertion") || form.contains("client_assertion_type");
}

std::expected<ClientAssertion, OAuthError> check_client_assertion(
    const Form& form, const ClientDirectory& clients, std::vector<std::string> audiences,
    UnixSeconds now) {
  const auto type = form.get("client_assertion_type");
  const auto token = form.get("client_assertion");
  if (!type || !token || *type != client_assertion_type) {
    return std::unexpected(
        OAuthError{OAuthErrorCode::invalid_request, "client_assertion and client_assertion_type " +
                                                        std::string(client_assertion_type) +
                                                        " are required together"});
  }
  const auto jws = jose::decode_jws(*token);
  if (!jws) return std::unexpected(assertion_refused("the client assertion is malformed"));
  const jose::Claims claims(jws->payload());
  // Found by its claimed iss, then verified with that client's keys: a forged iss cannot pass.
  const ClientPtr client = clients.find(claims.iss());
  if (client == nullptr || !client->assertion_keys) {
    return std::unexpected(assertion_refused("no client of this issuer uses private_key_jwt"));
  }
  if (claims.sub() != client->client_id) {
    return std::unexpected(assertion_refused("the client assertion's sub must be its iss"));
  }
  if (const auto form_id = form.get("client_id"); form_id && *form_id != client->client_id) {
    return std::unexpected(assertion_refused("client_id differs from the client assertion's"));
  }
  auto checked = check_assertion(*jws,
                                 AssertionRules{.keys = *client->assertion_keys,
                                                .issuer = client->client_id,
                                                .audiences = std::move(audiences),
                                                .max_lifetime = max_client_assertion_lifetime},
                                 now);
  if (!checked) return std::unexpected(assertion_refused(std::move(checked.error())));
  return ClientAssertion{.client = client, .assertion = std::move(*checked)};
}

}  // namespace gatehouse::keymanager
