#include <algorithm>
#include <array>

#include "policies/auth/authenticator.h"

namespace gatehouse::policies {

// Each defined in its scheme's file in this folder.
std::unique_ptr<const Authenticator> make_oauth2_bearer_authenticator(const AuthSettings&);
std::unique_ptr<const Authenticator> make_basic_auth_authenticator(const AuthSettings&);
std::unique_ptr<const Authenticator> make_api_key_authenticator(const AuthSettings&);
std::unique_ptr<const Authenticator> make_mutual_tls_authenticator(const AuthSettings&);

namespace {

struct Registration {
  config::Scheme scheme;
  std::unique_ptr<const Authenticator> (*make)(const AuthSettings&);
};

// Every scheme the gateway knows, one line each, in the order credentials are looked for
// (docs/config.md): `Authorization` first, whatever order the API lists its schemes in.
constexpr auto kSchemes = std::to_array<Registration>({
    {config::Scheme::oauth2, &make_oauth2_bearer_authenticator},
    {config::Scheme::basic_auth, &make_basic_auth_authenticator},
    {config::Scheme::api_key, &make_api_key_authenticator},
    {config::Scheme::mutual_tls, &make_mutual_tls_authenticator},
});

}  // namespace

Authenticators make_authenticators(const AuthSettings& settings) {
  const std::vector<config::Scheme>& listed = settings.api->security->schemes;
  Authenticators authenticators;
  for (const Registration& registration : kSchemes) {
    if (std::ranges::find(listed, registration.scheme) != listed.end()) {
      authenticators.push_back(registration.make(settings));
    }
  }
  return authenticators;
}

}  // namespace gatehouse::policies
