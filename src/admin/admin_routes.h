// What the admin listener answers, as a function of the request and the services it reaches: no
// I/O, so that the routes can be tested without a socket.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model.h"
#include "core/worker_barrier.h"

namespace gatehouse::keymanager {
class ApplicationKeys;
class Endpoints;
class KeyRing;
class RegisteredApplications;
}  // namespace gatehouse::keymanager
namespace gatehouse::observability {
class Metrics;
}
namespace gatehouse::identity {
class SubscriptionStore;
}
namespace gatehouse::throttling {
class BlockingConditions;
class BlockingList;
}  // namespace gatehouse::throttling

namespace gatehouse::security {
class ApplicationDirectory;
class Revocations;
}  // namespace gatehouse::security
namespace gatehouse::tokens {
class GatewayKey;
}

namespace gatehouse::admin {

struct AdminResponse {
  int status = 200;
  std::string content_type;
  std::string body;   // for HEAD, the body a GET would get: its length goes in Content-Length
  std::string allow;  // the Allow header of a 405; empty otherwise
  std::vector<std::string> challenges;  // WWW-Authenticate header values of a 401
  // Any other header fields: the key manager's (Location, Set-Cookie...).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct AdminRequest {
  std::string_view method;
  std::string_view target;  // as received ("/metrics", "/readyz?verbose")
  std::string_view body;
  std::optional<std::string_view> host;  // absent: no Host header; "" for several
  std::string_view content_type;
  std::string_view authorization;
  std::vector<std::string_view> cookies;  // every Cookie header field, for the key manager
  bool client_certificate = false;        // verified against admin.tls's client CA
  int version = 11;                       // HTTP/1.1: 11
};

// What the gateway last installed, read per request so that a reload shows at once. `config`
// owns (through the snapshot it aliases) what `gateway_key` points to.
struct InstalledState {
  std::shared_ptr<const config::Config> config;
  const tokens::GatewayKey* gateway_key = nullptr;  // null: the config has no signing_key
};

// Where a change of subscriptions goes: the directory, then every worker, and the key manager's
// store, which keeps it across restarts.
struct SubscriptionUpdates {
  security::ApplicationDirectory* directory = nullptr;  // null: /subscriptions is not served
  // Hands the directory's new store to every worker.
  std::function<void(std::shared_ptr<const identity::SubscriptionStore>)> install;
  // Whether a subscription tier of this name is defined (throttling.subscription_tiers); unset:
  // any name is taken.
  std::function<bool(std::string_view)> is_tier;
  // Null without the built-in key manager: a change lasts until the process ends.
  keymanager::RegisteredApplications* kept = nullptr;
};

// Where an application made or removed goes: the key manager's store, then the directory and
// every worker (as for subscriptions).
struct ApplicationUpdates {
  // Null without the built-in key manager: /applications is listed, not changed.
  keymanager::RegisteredApplications* registered = nullptr;
  SubscriptionUpdates subscriptions;  // its directory null: /applications is not served
  // Whether an application tier of this name is defined (throttling.application_tiers); unset:
  // any name is taken.
  std::function<bool(std::string_view)> is_tier;
};

// Where a change of blocking conditions goes: the list, then every worker.
struct BlockingUpdates {
  throttling::BlockingConditions* conditions = nullptr;  // null: /blocking-conditions not served
  // Hands the new list to every worker.
  std::function<void(std::shared_ptr<const throttling::BlockingList>)> install;
};

// Where a key made for an application goes: the key manager, then the application (the
// directory, and every worker, as for subscriptions).
struct ApplicationKeyUpdates {
  keymanager::ApplicationKeys* keys = nullptr;  // null: /applications/{id}/keys is not served
  SubscriptionUpdates subscriptions;
};

// What the routes read and act on; all outlive the admin server.
struct AdminServices {
  const observability::Metrics& metrics;
  std::function<bool()> ready;
  security::Revocations* revocations = nullptr;  // null: /revocations is not served
  // Unset, or without a gateway key: /jwks and the API key routes are not served.
  std::function<InstalledState()> installed;
  SubscriptionUpdates subscriptions;
  BlockingUpdates blocking;
  // The built-in key manager, whose paths the listener serves too (key_manager_route.h); null:
  // none is served. The process's, outliving the listener.
  const keymanager::Endpoints* key_manager = nullptr;
  // Rotates the built-in key manager's signing key (POST /oauth2/keys/rotate); unset: not served.
  std::function<std::expected<std::shared_ptr<const keymanager::KeyRing>, std::string>()>
      rotate_signing_key;
  ApplicationKeyUpdates application_keys;
  ApplicationUpdates applications;
  // A change that succeeded is answered once every worker has it (core/worker_barrier.h), so
  // that the call that follows the answer sees it wherever it lands; unset: answered at once.
  WorkerBarrier every_worker;
};

AdminResponse route_admin_request(const AdminRequest& request, const AdminServices& services);

}  // namespace gatehouse::admin
