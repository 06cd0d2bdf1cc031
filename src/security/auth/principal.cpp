#include "security/auth/principal.h"

namespace gatehouse::security {

identity::KeyOwner owner_of(const Principal& principal, const identity::SubscriptionStore& store) {
  switch (principal.scheme) {
    case config::Scheme::oauth2:
      return store.find_key(principal.key_manager, principal.client_id)
          .value_or(identity::KeyOwner{});
    case config::Scheme::api_key:
      return {store.find_application(principal.client_id), principal.key_type};
    case config::Scheme::basic_auth:
    case config::Scheme::mutual_tls:
      return {};
  }
  return {};
}

}  // namespace gatehouse::security
