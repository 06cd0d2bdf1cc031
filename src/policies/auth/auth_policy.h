// The security of one resource: which of the API's schemes admit a caller (OAuth2 tokens, Basic
// Auth, API keys, mutual TLS), then what the caller may do here: its application's
// subscription to the API, the application's IP and referrer restrictions, and the resource's
// scopes. On success the Exchange holds the principal and the subscription; otherwise the client
// gets WSO2's error with an RFC 6750 challenge.
//
// Not a configurable policy: the snapshot compiler adds one to each secured resource's chain,
// where its phase (authentication) runs it after the CORS policies, so that browsers can read a
// refusal.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "config/model.h"
#include "policies/policy.h"
#include "security/auth/client_certificate_trust.h"
#include "security/auth/revocations.h"
#include "security/auth/security_state.h"

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

std::unique_ptr<const Policy> make_auth_policy(const AuthSettings& settings);

}  // namespace gatehouse::policies
