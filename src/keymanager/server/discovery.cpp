#include "keymanager/server/discovery.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "keymanager/server/authorization_request.h"
#include "keymanager/server/endpoint_paths.h"
#include "keymanager/server/id_token.h"
#include "security/jose/alg.h"

namespace gatehouse::keymanager {

namespace json = boost::json;

namespace {

// openid, and every scope some client may be granted.
json::array scopes_supported(const ServerContext& context) {
  std::set<std::string_view> scopes{openid_scope};
  for (const auto& [id, client] : context.clients()->by_id())
    scopes.insert(client->scopes.begin(), client->scopes.end());
  return json::array(scopes.begin(), scopes.end());
}

// What private_key_jwt assertions may be signed with: every asymmetric alg jose verifies.
json::array client_assertion_algs() {
  json::array algs;
  for (jose::Alg alg :
       {jose::Alg::RS256, jose::Alg::RS384, jose::Alg::RS512, jose::Alg::PS256, jose::Alg::PS384,
        jose::Alg::PS512, jose::Alg::ES256, jose::Alg::ES384, jose::Alg::ES512, jose::Alg::EdDSA}) {
    algs.emplace_back(jose::to_string(alg));
  }
  return algs;
}

}  // namespace

json::object discovery_document(const ServerContext& context) {
  const auto url = [base = context.endpoint_base()](std::string_view path) {
    return std::string(base) + std::string(path);
  };
  json::array grant_types;
  for (std::string_view type : context.grants().types()) grant_types.emplace_back(type);
  // The implicit grant is listed only where a client may use it: none does by default.
  json::array response_types{"code"};
  json::array response_modes{"query"};
  const auto clients = context.clients();
  if (std::ranges::any_of(clients->by_id(), [](const auto& entry) {
        return entry.second->may_use(implicit_grant_type);
      })) {
    grant_types.emplace_back(implicit_grant_type);
    response_types.emplace_back("token");
    response_modes.emplace_back("fragment");
  }
  const json::array confidential_methods{"client_secret_basic", "client_secret_post",
                                         "private_key_jwt", "tls_client_auth",
                                         "self_signed_tls_client_auth"};
  json::array any_method = confidential_methods;
  any_method.emplace_back("none");
  json::object document{
      {"issuer", context.settings().issuer},
      {"authorization_endpoint", url(paths::authorization)},
      {"token_endpoint", url(paths::token)},
      {"introspection_endpoint", url(paths::introspection)},
      {"revocation_endpoint", url(paths::revocation)},
      {"jwks_uri", url(paths::jwks)},
      {"device_authorization_endpoint", url(paths::device_authorization)},
      {"pushed_authorization_request_endpoint", url(paths::pushed_authorization)},
      {"require_pushed_authorization_requests", false},
      {"userinfo_endpoint", url(paths::userinfo)},
      {"grant_types_supported", std::move(grant_types)},
      {"response_types_supported", std::move(response_types)},
      {"response_modes_supported", std::move(response_modes)},
      {"code_challenge_methods_supported", json::array{"S256", "plain"}},
      {"authorization_response_iss_parameter_supported", true},
      {"prompt_values_supported", json::array{"none", "login", "consent"}},
      {"scopes_supported", scopes_supported(context)},
      {"token_endpoint_auth_methods_supported", any_method},
      {"token_endpoint_auth_signing_alg_values_supported", client_assertion_algs()},
      // Introspection tells about other clients' tokens: only a client with a secret or a key may
      // ask.
      {"introspection_endpoint_auth_methods_supported", confidential_methods},
      {"revocation_endpoint_auth_methods_supported", any_method},
      // RFC 8705 section 3.3. No mtls_endpoint_aliases: the endpoints are the same on every
      // listener, and one that requests client certificates serves them with mutual TLS.
      {"tls_client_certificate_bound_access_tokens", true},
      {"subject_types_supported", json::array{"public"}},
      {"id_token_signing_alg_values_supported",
       json::array{jose::to_string(context.keys()->alg())}},
  };
  if (context.settings().registration) {
    document["registration_endpoint"] = url(paths::registration);
  }
  return document;
}

OAuthAnswer discovery_answer(const ServerContext& context) {
  return json_answer(200, discovery_document(context));
}

OAuthAnswer jwks_answer(const ServerContext& context) {
  return json_answer(200, context.keys()->jwks());
}

}  // namespace gatehouse::keymanager
