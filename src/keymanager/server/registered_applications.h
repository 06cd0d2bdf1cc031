// The applications made through the admin listener or a command, and the listener's subscription
// changes, kept in the key manager's store beside the keys it made for them, so that all three
// survive a restart. The key manager serves only keys: these records are kept here for the
// gateway, which admits requests against them (security::ApplicationDirectory).
//
// Calls block on the store: make them from one thread (the gateway's control thread), never a
// worker.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keymanager/server/server_context.h"
#include "security/auth/application_directory.h"
#include "security/identity/records.h"

namespace gatehouse::keymanager {

class RegisteredApplications {
 public:
  explicit RegisteredApplications(ServerContext& context) : context_(context) {}

  // False, and nothing kept, when the id is taken or the owner has an application of that name
  // (another process sharing the store may have made it). The application's keys are not kept
  // with it: the key manager's keys are made for it afterwards.
  std::expected<bool, std::string> add(const identity::Application& application);
  // Removes the application, its keys (no token is issued to them from now on) and its
  // subscription changes; false when the store has no application of that id.
  std::expected<bool, std::string> remove(std::string_view id);
  // The applications, without keys (the key manager's registered keys name their application).
  std::expected<std::vector<identity::Application>, std::string> applications();

  std::expected<void, std::string> keep(const security::SubscriptionChange& change);
  std::expected<std::vector<security::SubscriptionChange>, std::string> subscription_changes();

 private:
  ServerContext& context_;
};

}  // namespace gatehouse::keymanager
