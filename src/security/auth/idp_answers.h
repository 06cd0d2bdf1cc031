// What a key manager reads from its identity provider's answers, apart from the keys
// (jose::parse_jwks): the OpenID discovery document and the token introspection answer. Plain
// functions of the answer's text, so that they are tested and fuzzed without a server.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "config/security_model.h"
#include "security/auth/auth_error.h"

namespace gatehouse::security {

// The jwks_uri of a discovery document (OpenID Connect Discovery 1.0 section 4.2) whose issuer
// is exactly `issuer`; why not otherwise.
std::expected<std::string, std::string> jwks_uri_from_discovery(std::string_view document,
                                                                std::string_view issuer);

// An introspection answer (RFC 7662 section 2.2) as `key_manager` accepts it: a JSON object
// with "active": true, within its exp/nbf (the leeway allowed) and, when audiences are
// configured, for one of them. Its members are the token's claims. invalid_credentials for a
// token it does not accept, key_manager_unreachable when the answer is no JSON object.
// `now` is seconds since the epoch.
std::expected<boost::json::object, AuthError> read_introspection_answer(
    std::string_view answer, const config::KeyManagerConfig& key_manager, int64_t now);

// The checks of an active token's answer (its members as claims) that read_introspection_answer
// makes: exp/nbf within the leeway, and one of the configured audiences.
std::expected<void, AuthError> check_introspected_claims(
    const boost::json::object& claims, const config::KeyManagerConfig& key_manager, int64_t now);

}  // namespace gatehouse::security
