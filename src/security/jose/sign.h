// Signing a JWT (the gateway's own API keys, the JWT it passes to backends): a compact JWS whose
// header is {"alg", "typ", "kid"}.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "security/jose/alg.h"
#include "security/jose/error.h"
#include "security/jose/key.h"

namespace gatehouse::jose {

// `key` must be a private key (or a secret) that fits `alg`; an empty kid is left out. `typ`
// tells kinds of JWT signed by one key apart (RFC 8725 3.11).
Result<std::string> sign_jwt(const boost::json::object& claims, const Key& key, Alg alg,
                             std::string_view kid, std::string_view typ = "JWT");

}  // namespace gatehouse::jose
