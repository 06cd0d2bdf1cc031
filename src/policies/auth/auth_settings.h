// What the API's security is compiled from: the snapshot's security state, the API and the
// resource it guards, and the trust and revocations the process keeps.
#pragma once

#include <cstdint>
#include <memory>

#include "config/model.h"
#include "security/auth/client_certificate_trust.h"
#include "security/auth/revocations.h"
#include "security/auth/security_state.h"
#include "security/identity/subscription_store.h"

namespace gatehouse::policies {

struct AuthSettings {
  std::shared_ptr<const security::SecurityState> state;
  const config::ApiConfig* api = nullptr;
  identity::ApiId api_id = 0;  // the API in every store of subscriptions (ApplicationDirectory)
  // Null for the check before 900906 (a request under the API that matched no resource): the
  // caller is authenticated and its subscription checked, with no scopes to cover.
  const config::ResourceConfig* resource = nullptr;
  uint32_t api_index = 0;  // the API's position in the snapshot, for per-API caches
  bool has_sandbox_endpoints = false;
  // The API's trust for mutual TLS, shared by its resources; null when the API does not list it.
  std::shared_ptr<const security::ClientCertificateTrust> certificates;
  // The process's revoked tokens, refused even while cached; null: none (`gatehouse validate`).
  std::shared_ptr<const security::Revocations> revocations;
};

}  // namespace gatehouse::policies
