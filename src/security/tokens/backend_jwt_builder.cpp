#include "security/tokens/backend_jwt_builder.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>

#include "security/jose/sign.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::tokens {
namespace {

namespace json = boost::json;

constexpr std::string_view wso2_claims = "http://wso2.org/claims/";

void set_wso2_claim(json::object& claims, std::string_view name, std::string_view value) {
  std::string key(wso2_claims);
  key += name;
  claims[key] = value;
}

}  // namespace

jose::Result<BackendJwt> BackendJwtBuilder::build(const Caller& caller, const ApiCall& api,
                                                  const config::BackendJwtConfig& config,
                                                  int64_t now) const {
  json::object claims;
  if (caller.claims) {
    for (const std::string& name : config.claims) {
      if (const json::value* value = caller.claims->if_contains(name)) claims[name] = *value;
    }
  }
  int64_t expires_at = now + std::chrono::duration_cast<std::chrono::seconds>(config.ttl).count();
  if (caller.expires_at != 0) expires_at = std::min(expires_at, caller.expires_at);

  claims["iss"] = issuer_;
  if (!config.audience.empty()) claims["aud"] = config.audience;
  claims["iat"] = now;
  claims["exp"] = expires_at;
  claims["sub"] = caller.subject;
  if (const identity::StoredApplication* application = caller.application) {
    set_wso2_claim(claims, "subscriber", application->owner);
    set_wso2_claim(claims, "applicationid", application->id);
    set_wso2_claim(claims, "applicationname", application->name);
    set_wso2_claim(claims, "applicationtier", api.application_tier);
    set_wso2_claim(claims, "keytype", key_type_label(caller.key_type));
  }
  set_wso2_claim(claims, "apiname", api.name);
  set_wso2_claim(claims, "apicontext", api.context);
  set_wso2_claim(claims, "version", api.version);
  if (!api.subscription_tier.empty()) set_wso2_claim(claims, "tier", api.subscription_tier);
  set_wso2_claim(claims, "enduser", caller.subject);

  jose::Result<std::string> jwt = jose::sign_jwt(claims, key_.key(), key_.alg(), key_.kid());
  if (!jwt) return std::unexpected(jwt.error());
  return BackendJwt{std::move(*jwt), expires_at};
}

}  // namespace gatehouse::tokens
