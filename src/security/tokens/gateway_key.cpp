#include "security/tokens/gateway_key.h"

#include <boost/json/serialize.hpp>

#include "security/jose/pem.h"
#include "security/jose/public_jwk.h"

namespace gatehouse::tokens {
namespace {

jose::Result<jose::Alg> alg_for(const jose::Key& key) {
  if (key.type() == jose::KeyType::rsa) return jose::Alg::RS256;
  if (key.type() == jose::KeyType::ec && key.curve() == jose::Curve::p256) return jose::Alg::ES256;
  return std::unexpected(jose::Error::unsupported_key);
}

}  // namespace

jose::Result<GatewayKey> GatewayKey::load(const std::string& pem_file) {
  jose::Result<jose::Key> key = jose::load_private_key_file(pem_file);
  if (!key) return std::unexpected(key.error());
  return from_private_key(std::move(*key));
}

jose::Result<GatewayKey> GatewayKey::from_private_key(jose::Key key) {
  if (!key.is_private()) return std::unexpected(jose::Error::bad_key);
  const jose::Result<jose::Alg> alg = alg_for(key);
  if (!alg) return std::unexpected(alg.error());
  jose::Result<std::string> kid = jose::thumbprint(key);
  if (!kid) return std::unexpected(kid.error());
  key.kid = std::move(*kid);
  key.use = "sig";
  key.alg = *alg;

  const jose::Result<boost::json::object> jwk = jose::public_jwk(key);
  if (!jwk) return std::unexpected(jwk.error());
  GatewayKey gateway_key(std::move(key));
  gateway_key.jwks_json_ =
      boost::json::serialize(boost::json::object{{"keys", boost::json::array{*jwk}}});
  return gateway_key;
}

}  // namespace gatehouse::tokens
