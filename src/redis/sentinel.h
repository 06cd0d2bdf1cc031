// Finding the current master through Redis Sentinel: each Sentinel is asked
// `SENTINEL get-master-addr-by-name <master>` on a short connection of its own, in turn, until
// one knows. The one that answered is asked first next time, so a Sentinel that is down costs
// its connect timeout once, not at every reconnect.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <expected>

#include "core/error.h"
#include "redis/settings.h"

namespace gatehouse::redis {

class MasterLocator {
 public:
  // Keeps a reference: `settings` outlives the locator.
  explicit MasterLocator(const Settings& settings) : settings_(settings) {}

  // The master's address as the Sentinels see it now. Fails (unreachable) when no Sentinel
  // answered or none knows the master; the error says what each one said.
  boost::asio::awaitable<std::expected<Address, Error>> locate();

 private:
  const Settings& settings_;
  size_t first_ = 0;  // the Sentinel that answered last
};

}  // namespace gatehouse::redis
