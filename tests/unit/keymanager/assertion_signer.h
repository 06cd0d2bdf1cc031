// A party that signs JWT assertions in the key manager's tests: a private_key_jwt client or a
// trusted issuer, with an ES256 key made for the test, and claims that a test changes one at a
// time.
#pragma once

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "keymanager/server/random_token.h"
#include "keymanager/server/signing_key.h"
#include "security/jose/jwk.h"
#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"
#include "security/jose/sign.h"

namespace gatehouse::keymanager::fixture {

class AssertionSigner {
 public:
  AssertionSigner(std::string issuer, std::string kid) : issuer_(std::move(issuer)) {
    auto record = generate_signing_key(jose::Alg::ES256, 0);
    auto key = record ? jose::load_private_key_pem(record->private_pem)
                      : jose::Result<jose::Key>(std::unexpected(jose::Error::bad_key));
    if (!key) throw std::runtime_error("no test key");
    key_ = std::make_unique<jose::Key>(std::move(*key));
    key_->kid = std::move(kid);
  }

  const std::string& issuer() const { return issuer_; }

  // Its public key, as the key manager's settings hold it.
  jose::KeySet public_keys() const {
    auto jwk = jose::public_jwk(*key_);
    auto keys = jose::parse_jwks(
        boost::json::serialize(boost::json::object{{"keys", boost::json::array{*jwk}}}));
    if (!keys) throw std::runtime_error("no test key set");
    return std::move(*keys);
  }

  // iss = sub = the issuer, a fresh jti, exp a minute after `now`; `changes` replace or add
  // claims (a null value removes one).
  boost::json::object claims(std::string_view audience, int64_t now,
                             const boost::json::object& changes = {}) const {
    boost::json::object claims{{"iss", issuer_}, {"sub", issuer_},  {"aud", audience},
                               {"iat", now},     {"exp", now + 60}, {"jti", random_token(12)}};
    for (const auto& [name, value] : changes) {
      if (value.is_null()) {
        claims.erase(name);
      } else {
        claims[name] = value;
      }
    }
    return claims;
  }

  std::string sign(const boost::json::object& claims, jose::Alg alg = jose::Alg::ES256) const {
    auto token = jose::sign_jwt(claims, *key_, alg, key_->kid);
    if (!token) throw std::runtime_error("signing failed");
    return *token;
  }

 private:
  std::string issuer_;
  std::unique_ptr<jose::Key> key_;  // Key has no default constructor
};

}  // namespace gatehouse::keymanager::fixture
