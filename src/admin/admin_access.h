// The one check in front of every admin route, in this order:
//   1. Host: the request must name this listener: an IP address literal (not 0.0.0.0 or [::]),
//      `localhost`, the host of `admin.address`, or a name in `admin.hosts`. Otherwise 421: a
//      browser led to the listener through a rebound DNS name sends that name, and is refused
//      before anything else. A request without Host is 400 (HTTP/1.0 may omit it).
//   2. Authentication, when admin.auth or client certificates are configured, on every path but
//      admin.auth.open_paths: a verified client certificate, `Authorization: Bearer <token>`
//      whose SHA-256 is configured, or `Authorization: Basic` of a configured user. Otherwise
//      401 with a WWW-Authenticate challenge per configured scheme (403 when only certificates
//      are configured: no header can help).
//   3. A request with a body must say `Content-Type: application/json`, else 415: a web page can
//      post text/plain or a form across origins without asking, but not JSON.
// Runs on the control thread only (it keeps a cache of verified passwords).
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "admin/admin_routes.h"
#include "config/model.h"
#include "security/identity/credential_cache.h"
#include "security/identity/user_store.h"

namespace gatehouse::admin {

class AdminAccess {
 public:
  // From a validated admin section; fails only on what the config reader checks already.
  static std::expected<std::shared_ptr<AdminAccess>, std::string> create(
      const config::AdminConfig& config);

  // The answer that stops the request, or nullopt when it may reach its route.
  std::optional<AdminResponse> refuse(const AdminRequest& request);

 private:
  AdminAccess(const config::AdminConfig& config, identity::UserStore users);

  std::optional<AdminResponse> misdirected(const AdminRequest& request) const;
  bool names_this_listener(std::string_view host) const;
  bool authenticated(const AdminRequest& request);
  AdminResponse unauthenticated() const;

  std::string address_host_;        // lower case
  std::vector<std::string> hosts_;  // lower case
  std::vector<std::string> token_digests_;
  identity::UserStore users_;
  identity::CredentialCache password_cache_;
  bool certificates_authenticate_;
  bool authenticates_;
  std::vector<std::string> open_paths_;
};

}  // namespace gatehouse::admin
