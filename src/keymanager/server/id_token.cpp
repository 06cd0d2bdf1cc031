#include "keymanager/server/id_token.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <span>
#include <vector>

#include "keymanager/server/scope.h"
#include "security/jose/base64url.h"
#include "security/jose/sha256.h"
#include "security/jose/sign.h"

namespace gatehouse::keymanager {

bool has_openid(std::string_view scope) {
  const std::vector<std::string> scopes = split_scope(scope);
  return std::ranges::find(scopes, openid_scope) != scopes.end();
}

std::string at_hash(std::string_view access_token) {
  const auto digest = jose::sha256(access_token);
  return jose::base64url_encode(std::span(digest).first(digest.size() / 2));
}

std::expected<std::string, OAuthError> issue_id_token(const ServerContext& context,
                                                      const Client& client, const Login& login,
                                                      const AccessToken& access_token,
                                                      UnixSeconds now) {
  boost::json::object claims{
      {"iss", context.settings().issuer},
      {"sub", login.subject},
      {"aud", client.client_id},
      {"azp", client.client_id},
      {"iat", now},
      {"exp", access_token.expires_at},
      {"auth_time", login.auth_time},
      {"at_hash", at_hash(access_token.token)},
  };
  if (!login.nonce.empty()) claims["nonce"] = login.nonce;
  const std::shared_ptr<const KeyRing> keys = context.keys();
  auto token = jose::sign_jwt(claims, keys->signing_key(), keys->alg(), keys->kid(), "JWT");
  if (!token) {
    return std::unexpected(
        OAuthError{OAuthErrorCode::server_error, "the ID token could not be signed"});
  }
  return std::move(*token);
}

std::expected<IssuedTokens, OAuthError> with_id_token(const ServerContext& context,
                                                      const Client& client, const Login& login,
                                                      std::string_view scope, IssuedTokens issued,
                                                      UnixSeconds now) {
  if (!has_openid(scope)) return issued;
  auto id_token = issue_id_token(context, client, login, issued.access_token, now);
  if (!id_token) return std::unexpected(std::move(id_token.error()));
  issued.id_token = std::move(*id_token);
  return issued;
}

std::string login_context(UnixSeconds auth_time) {
  return boost::json::serialize(boost::json::object{{"auth_time", auth_time}});
}

UnixSeconds auth_time_of(std::string_view context) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(context, error);
  const boost::json::value* auth_time =
      error || !parsed.is_object() ? nullptr : parsed.as_object().if_contains("auth_time");
  return auth_time && auth_time->is_int64() ? auth_time->as_int64() : 0;
}

}  // namespace gatehouse::keymanager
