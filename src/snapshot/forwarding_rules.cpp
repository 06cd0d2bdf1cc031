#include "snapshot/forwarding_rules.h"

#include <algorithm>

#include "http/message.h"

namespace gatehouse::snapshot {

void HeaderNameSet::add(std::string_view name) {
  if (contains(name)) return;
  names_.emplace_back(name);
  lengths_ |= length_bit(name.size());
}

bool HeaderNameSet::contains_slow(std::string_view name) const {
  return std::any_of(names_.begin(), names_.end(),
                     [&](const std::string& member) { return http::iequals(member, name); });
}

std::vector<ForwardingRules> compile_forwarding_rules(const config::Config& config) {
  HeaderNameSet always;
  always.add(config::BackendJwtConfig{}.header);
  always.add(config::MutualTlsConfig{}.header);
  for (const config::ApiConfig& api : config.apis) {
    if (api.backend_jwt) always.add(api.backend_jwt->header);
    if (api.security) always.add(api.security->mutual_tls.header);
  }
  std::vector<ForwardingRules> all;
  all.reserve(config.apis.size());
  for (const config::ApiConfig& api : config.apis) {
    ForwardingRules& rules = all.emplace_back();
    rules.stripped = always;
    if (!api.security) continue;
    rules.stripped.add(config.security.api_keys.header);
    rules.strip_authorization = !(api.backend_jwt && api.backend_jwt->keep_authorization);
    rules.stripped_query_param = config.security.api_keys.query_param;
  }
  return all;
}

}  // namespace gatehouse::snapshot
