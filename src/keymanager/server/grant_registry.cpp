#include "keymanager/server/grant_registry.h"

namespace gatehouse::keymanager {

// Each defined in its own file, <name>_grant.cpp.
std::unique_ptr<const Grant> make_authorization_code_grant();
std::unique_ptr<const Grant> make_client_credentials_grant();
std::unique_ptr<const Grant> make_password_grant();
std::unique_ptr<const Grant> make_refresh_token_grant();
std::unique_ptr<const Grant> make_downscope_grant();
std::unique_ptr<const Grant> make_device_code_grant();
std::unique_ptr<const Grant> make_jwt_bearer_grant();
std::unique_ptr<const Grant> make_token_exchange_grant();

GrantRegistry GrantRegistry::builtin() {
  std::vector<std::unique_ptr<const Grant>> grants;
  for (auto make : {make_authorization_code_grant, make_client_credentials_grant,
                    make_password_grant, make_refresh_token_grant, make_downscope_grant,
                    make_device_code_grant, make_jwt_bearer_grant, make_token_exchange_grant}) {
    grants.push_back(make());
  }
  return GrantRegistry(std::move(grants));
}

const Grant* GrantRegistry::find(std::string_view type) const {
  for (const auto& grant : grants_) {
    if (grant->type() == type) return grant.get();
  }
  return nullptr;
}

std::vector<std::string_view> GrantRegistry::types() const {
  std::vector<std::string_view> types;
  for (const auto& grant : grants_) types.push_back(grant->type());
  return types;
}

}  // namespace gatehouse::keymanager
