// The gateway's side of dynamic client registration (keymanager::ClientRegistrar): a client that
// registers itself becomes an application of its own (its id is the client id, its owner too,
// its name the client_name) with one production key. As the admin listener's application and key
// routes do, each change goes to the key manager's store, then to the gateway's directory and
// every worker, on the control thread; the registration endpoint, on whichever thread served it,
// resumes once every worker has the change.
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>

#include "core/worker_barrier.h"
#include "keymanager/server/client_registrar.h"
#include "keymanager/server/registered_applications.h"
#include "security/auth/application_directory.h"

namespace gatehouse::server {

// What a change of applications reaches, all owned by the gateway and outliving this.
struct RegistrationTargets {
  boost::asio::io_context& control;
  keymanager::ApplicationKeys& keys;
  keymanager::RegisteredApplications& applications;
  security::ApplicationDirectory& directory;
  // Hands the directory's new store to every worker.
  std::function<void(security::SubscriptionsPtr)> install;
  WorkerBarrier every_worker;
  size_t max_clients;  // registered at once; beyond, a registration is refused
};

class ClientRegistrations final : public keymanager::ClientRegistrar {
 public:
  explicit ClientRegistrations(RegistrationTargets targets) : targets_(std::move(targets)) {}

  boost::asio::awaitable<std::expected<keymanager::IssuedKey, keymanager::KeyRefusal>> add(
      const keymanager::KeyRequest& request, std::string_view name) override;
  boost::asio::awaitable<std::expected<keymanager::ClientPtr, keymanager::KeyRefusal>> update(
      const keymanager::KeyRequest& request) override;
  boost::asio::awaitable<std::expected<void, keymanager::KeyRefusal>> remove(
      std::string_view application_id) override;

 private:
  // On the control thread: the change, then every worker has it.
  boost::asio::awaitable<std::expected<keymanager::IssuedKey, keymanager::KeyRefusal>> add_here(
      const keymanager::KeyRequest& request, std::string_view name);
  boost::asio::awaitable<std::expected<keymanager::ClientPtr, keymanager::KeyRefusal>> update_here(
      const keymanager::KeyRequest& request);
  boost::asio::awaitable<std::expected<void, keymanager::KeyRefusal>> remove_here(
      std::string_view application_id);
  // Hands the directory's new store to every worker, and resumes once they all have it.
  boost::asio::awaitable<void> install_everywhere(security::SubscriptionsPtr store);

  RegistrationTargets targets_;
};

}  // namespace gatehouse::server
