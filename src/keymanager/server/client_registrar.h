// What makes, changes and removes the clients that register themselves (RFC 7591, 7592): each
// is a key of an application of its own, which the gateway admits calls of once an operator
// subscribes it. Making an application is the gateway's (its directory, every worker), so the
// gateway implements this; the registration endpoint awaits it from any thread, and each call
// completes once every worker serves the change. The arguments live until then.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <string_view>

#include "keymanager/server/application_keys.h"

namespace gatehouse::keymanager {

class ClientRegistrar {
 public:
  virtual ~ClientRegistrar() = default;

  // Makes the application `request.application_id`, named `name`, and its production key as
  // `request` asks.
  virtual boost::asio::awaitable<std::expected<IssuedKey, KeyRefusal>> add(
      const KeyRequest& request, std::string_view name) = 0;
  // Replaces the key's settings and registration (ApplicationKeys::update).
  virtual boost::asio::awaitable<std::expected<ClientPtr, KeyRefusal>> update(
      const KeyRequest& request) = 0;
  // Removes the application and its key: the key's tokens are refused from then on.
  virtual boost::asio::awaitable<std::expected<void, KeyRefusal>> remove(
      std::string_view application_id) = 0;
};

}  // namespace gatehouse::keymanager
