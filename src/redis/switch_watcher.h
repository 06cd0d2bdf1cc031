// Follows the Sentinels' `+switch-master` announcements for one master, on a subscription to one
// Sentinel at a time, so that a client learns of a failover when it happens. Without it, a
// client of a master that was demoted but is still alive would write to it until Sentinel
// reconfigures it and closes its clients, seconds later.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <functional>
#include <memory>

#include "net/stream.h"
#include "redis/settings.h"

namespace gatehouse::redis {

class SwitchWatcher {
 public:
  // `on_switch` is called with the new master's address, on the caller's executor, until stop().
  // The settings are copied: the watcher may still be unwinding after its owner is gone.
  SwitchWatcher(const boost::asio::any_io_executor& executor, const Settings& settings,
                std::function<void(const Address&)> on_switch)
      : settings_(settings), on_switch_(std::move(on_switch)), pause_(executor) {}

  // Subscribes to the Sentinels in turn (the next one when a subscription ends), until stop().
  // `self` (this) is kept alive meanwhile.
  boost::asio::awaitable<void> run(std::shared_ptr<SwitchWatcher> self);
  void stop();

 private:
  // Reads announcements from one subscription until it ends.
  boost::asio::awaitable<void> listen(net::Stream& stream);

  const Settings settings_;
  std::function<void(const Address&)> on_switch_;
  net::Stream* subscription_ = nullptr;  // the one being read, for stop()
  boost::asio::steady_timer pause_;      // between subscriptions
  bool stopped_ = false;
};

}  // namespace gatehouse::redis
