#include "security/auth/located_store_errors.h"

namespace gatehouse::security {

config::ConfigErrors located_store_errors(const identity::StoreErrors& errors,
                                          const config::SecurityConfig& security) {
  config::ConfigErrors located;
  for (const identity::StoreError& error : errors) {
    const config::Location* where = nullptr;
    switch (error.kind) {
      case identity::RecordKind::application:
        where = &security.applications.at(error.index).location;
        break;
      case identity::RecordKind::subscription:
        where = &security.subscriptions.at(error.index).location;
        break;
      case identity::RecordKind::user:
        where = &security.users.at(error.index).location;
        break;
    }
    located.push_back({*where, error.message});
  }
  return located;
}

}  // namespace gatehouse::security
