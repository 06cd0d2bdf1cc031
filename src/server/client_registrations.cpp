#include "server/client_registrations.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <string>

#include "keymanager/server/registered_client.h"
#include "net/until_called.h"

namespace gatehouse::server {

namespace asio = boost::asio;
using keymanager::KeyRefusal;

namespace {

KeyRefusal refusal_of(const security::DirectoryRefusal& refused) {
  switch (refused.kind) {
    case security::DirectoryRefusal::not_found:
      return {KeyRefusal::not_found, refused.message};
    case security::DirectoryRefusal::invalid:
      return {KeyRefusal::invalid, refused.message};
    case security::DirectoryRefusal::conflict:
      break;
  }
  return {KeyRefusal::conflict, refused.message};
}

}  // namespace

asio::awaitable<std::expected<keymanager::IssuedKey, KeyRefusal>> ClientRegistrations::add(
    const keymanager::KeyRequest& request, std::string_view name) {
  // Named: g++ 12 destroys some temporaries of a co_await expression twice.
  auto here = add_here(request, name);
  co_return co_await asio::co_spawn(targets_.control, std::move(here), asio::use_awaitable);
}

asio::awaitable<std::expected<keymanager::ClientPtr, KeyRefusal>> ClientRegistrations::update(
    const keymanager::KeyRequest& request) {
  auto here = update_here(request);
  co_return co_await asio::co_spawn(targets_.control, std::move(here), asio::use_awaitable);
}

asio::awaitable<std::expected<void, KeyRefusal>> ClientRegistrations::remove(
    std::string_view application_id) {
  auto here = remove_here(application_id);
  co_return co_await asio::co_spawn(targets_.control, std::move(here), asio::use_awaitable);
}

asio::awaitable<std::expected<keymanager::IssuedKey, KeyRefusal>> ClientRegistrations::add_here(
    const keymanager::KeyRequest& request, std::string_view name) {
  const identity::Application application{.id = request.application_id,
                                          .name = std::string(name),
                                          .owner = request.application_id,
                                          .tier = "Unlimited"};
  security::ApplicationDirectory& directory = targets_.directory;
  const auto registered = targets_.keys.registered();
  const auto self_registered = std::ranges::count_if(
      registered,
      [](const keymanager::ClientPtr& client) { return client->self_registration.has_value(); });
  if (static_cast<size_t>(self_registered) >= targets_.max_clients) {
    co_return std::unexpected(KeyRefusal{
        KeyRefusal::full, "the key manager holds its registration max_clients of " +
                              std::to_string(targets_.max_clients) + " registered clients"});
  }
  if (directory.has_application(application.id)) {
    co_return std::unexpected(
        KeyRefusal{KeyRefusal::conflict, "application '" + application.id + "' exists already"});
  }
  auto added = targets_.applications.add(application);
  if (!added) co_return std::unexpected(KeyRefusal{KeyRefusal::store_failed, added.error()});
  if (!*added) {
    co_return std::unexpected(
        KeyRefusal{KeyRefusal::conflict, "application '" + application.id + "' exists already"});
  }
  auto issued = targets_.keys.generate(request);
  if (!issued) {
    (void)targets_.applications.remove(application.id);
    co_return std::unexpected(std::move(issued.error()));
  }
  auto store = directory.put_registered_application(application);
  if (store) {
    store = directory.put_issued_key(keymanager::issued_key_of(*issued->client));
  }
  if (!store) {
    (void)targets_.applications.remove(application.id);
    (void)directory.remove_registered_application(application.id);
    co_return std::unexpected(refusal_of(store.error()));
  }
  co_await install_everywhere(*store);
  co_return std::move(*issued);
}

asio::awaitable<std::expected<keymanager::ClientPtr, KeyRefusal>> ClientRegistrations::update_here(
    const keymanager::KeyRequest& request) {
  // The key manager's clients change as one swap, which every worker reads: the application and
  // its key stay as they were.
  co_return targets_.keys.update(request);
}

asio::awaitable<std::expected<void, KeyRefusal>> ClientRegistrations::remove_here(
    std::string_view application_id) {
  const std::string id(application_id);
  auto removed = targets_.applications.remove(id);
  if (!removed) co_return std::unexpected(KeyRefusal{KeyRefusal::store_failed, removed.error()});
  if (!*removed) {
    co_return std::unexpected(
        KeyRefusal{KeyRefusal::not_found, "application '" + id + "' does not exist"});
  }
  auto store = targets_.directory.remove_registered_application(id);
  if (!store) co_return std::unexpected(refusal_of(store.error()));
  co_await install_everywhere(*store);
  co_return std::expected<void, KeyRefusal>{};
}

asio::awaitable<void> ClientRegistrations::install_everywhere(security::SubscriptionsPtr store) {
  targets_.install(std::move(store));
  co_await net::until_called(targets_.every_worker);
}

}  // namespace gatehouse::server
