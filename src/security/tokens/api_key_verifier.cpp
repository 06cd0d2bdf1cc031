#include "security/tokens/api_key_verifier.h"

#include <boost/json/array.hpp>

#include <algorithm>

#include "security/jose/claims.h"
#include "security/jose/jws.h"
#include "security/jose/verify.h"
#include "security/tokens/key_type_label.h"

namespace gatehouse::tokens {
namespace {

namespace json = boost::json;

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "a, b,c" → {"a", "b", "c"}; WSO2 writes the lists with or without spaces after the commas.
std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> entries;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = trim(list.substr(0, comma));
    if (!entry.empty()) entries.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return entries;
}

// An absent list restricts nothing, as an empty one does.
template <class Matcher>
jose::Result<Matcher> read_restriction(const json::object& claims, std::string_view name) {
  const json::value* value = claims.if_contains(name);
  if (value == nullptr || value->is_null()) return Matcher{};
  if (!value->is_string()) return std::unexpected(jose::Error::malformed);
  auto matcher = Matcher::parse(split_list(value->get_string()));
  if (!matcher) return std::unexpected(jose::Error::bad_claim);
  return std::move(*matcher);
}

// WSO2 4.x names the application by uuid; its "id" is a database number.
jose::Result<std::string> read_application_id(const json::object& claims) {
  const json::value* application = claims.if_contains("application");
  if (application == nullptr || !application->is_object()) {
    return std::unexpected(jose::Error::malformed);
  }
  for (std::string_view member : {"uuid", "id"}) {
    const json::value* id = application->get_object().if_contains(member);
    if (id != nullptr && id->is_string() && !id->get_string().empty()) {
      return std::string(id->get_string());
    }
  }
  return std::unexpected(jose::Error::malformed);
}

jose::Result<std::vector<std::string>> read_subscribed_apis(const json::object& claims) {
  const json::value* apis = claims.if_contains("subscribedAPIs");
  if (apis == nullptr || !apis->is_array()) return std::unexpected(jose::Error::malformed);
  std::vector<std::string> labels;
  labels.reserve(apis->get_array().size());
  for (const json::value& api : apis->get_array()) {
    const json::object* fields = api.if_object();
    const json::value* name = fields ? fields->if_contains("name") : nullptr;
    const json::value* version = fields ? fields->if_contains("version") : nullptr;
    if (name == nullptr || !name->is_string() || version == nullptr || !version->is_string()) {
      return std::unexpected(jose::Error::malformed);
    }
    labels.push_back(std::string(name->get_string()) + ":" + std::string(version->get_string()));
  }
  return labels;
}

}  // namespace

bool ApiKeyClaims::subscribed_to(std::string_view name_version) const {
  return std::ranges::find(subscribed_apis, name_version) != subscribed_apis.end();
}

jose::Result<ApiKeyClaims> ApiKeyVerifier::verify(std::string_view token, int64_t now) const {
  jose::Result<jose::Jws> jws = jose::decode_jws(token, {.max_token_bytes = max_api_key_bytes});
  if (!jws) return std::unexpected(jws.error());
  if (auto verified = jose::verify_signature(*jws, key_.key()); !verified) {
    return std::unexpected(verified.error());
  }
  const json::object& payload = jws->payload();
  jose::ClaimRules rules;
  rules.leeway_seconds = 0;
  if (auto checked = jose::check_claims(payload, rules, now); !checked) {
    return std::unexpected(checked.error());
  }
  const jose::Claims claims(payload);
  if (claims.string_claim("token_type") != "apiKey") return std::unexpected(jose::Error::bad_claim);
  const json::value* key_type_value = claims.get("keytype");
  if (key_type_value == nullptr || !key_type_value->is_string()) {
    return std::unexpected(jose::Error::malformed);
  }
  const std::optional<identity::KeyType> key_type =
      parse_key_type_label(key_type_value->get_string());
  if (!key_type) return std::unexpected(jose::Error::bad_claim);

  jose::Result<std::string> application_id = read_application_id(payload);
  if (!application_id) return std::unexpected(application_id.error());
  jose::Result<std::vector<std::string>> apis = read_subscribed_apis(payload);
  if (!apis) return std::unexpected(apis.error());
  auto ips = read_restriction<identity::IpMatcher>(payload, "permittedIP");
  if (!ips) return std::unexpected(ips.error());
  auto referrers = read_restriction<identity::ReferrerMatcher>(payload, "permittedReferer");
  if (!referrers) return std::unexpected(referrers.error());

  return ApiKeyClaims{
      .application_id = std::move(*application_id),
      .key_type = *key_type,
      .subject = std::string(claims.sub()),
      .jti = std::string(claims.jti()),
      .expires_at = *claims.time_claim("exp"),
      .subscribed_apis = std::move(*apis),
      .permitted_ips = std::move(*ips),
      .permitted_referrers = std::move(*referrers),
      .claims = std::make_shared<const json::object>(payload),
  };
}

}  // namespace gatehouse::tokens
