#include "redis/switch_watcher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "observability/log.h"

#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "redis/backoff.h"
#include "redis/command.h"
#include "redis/dial.h"
#include "redis/reply.h"

namespace gatehouse::redis {

namespace asio = boost::asio;

namespace {

constexpr std::string_view channel = "+switch-master";

// The new master in a `+switch-master` message of `master`: the payload is
// "<master name> <old ip> <old port> <new ip> <new port>".
std::optional<Address> switched_to(const Reply& message, std::string_view master) {
  if (message.type != Reply::Type::array || message.elements.size() != 3 ||
      message.elements[0].text != "message" || message.elements[1].text != channel) {
    return std::nullopt;
  }
  std::array<std::string_view, 5> words;
  std::string_view rest = message.elements[2].text;
  for (std::string_view& word : words) {
    const size_t space = rest.find(' ');
    word = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  if (words[0] != master || !rest.empty()) return std::nullopt;
  uint16_t port = 0;
  const std::string_view port_text = words[4];
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size()) return std::nullopt;
  return Address{std::string(words[3]), port};
}

}  // namespace

asio::awaitable<void> SwitchWatcher::run(std::shared_ptr<SwitchWatcher> self) {
  Backoff backoff(settings_.reconnect_min, settings_.reconnect_max);
  std::string subscribe;
  size_t count = 0;
  if (!settings_.sentinel_password.empty()) {
    const std::array<std::string_view, 2> auth = {"AUTH", settings_.sentinel_password};
    append_command(subscribe, auth);
    ++count;
  }
  const std::array<std::string_view, 2> command = {"SUBSCRIBE", channel};
  append_command(subscribe, command);
  ++count;

  for (size_t next = 0; !stopped_; next = (next + 1) % settings_.sentinels.size()) {
    const Address& sentinel = settings_.sentinels[next];
    auto dialed = co_await dial(sentinel, subscribe, count, settings_.connect_timeout);
    if (stopped_) break;
    if (dialed && !dialed->replies.back().is_error()) {
      backoff.reset();
      subscription_ = &dialed->stream;
      co_await listen(dialed->stream);
      subscription_ = nullptr;
      if (stopped_) break;
      observability::log::warn("redis: subscription to sentinel {} ended", to_string(sentinel));
    } else {
      observability::log::warn("redis: cannot subscribe to sentinel {}: {}", to_string(sentinel),
                               dialed ? dialed->replies.back().text : dialed.error().describe());
    }
    pause_.expires_after(backoff.next());
    co_await pause_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> SwitchWatcher::listen(net::Stream& stream) {
  ReplyReader reader;
  std::string buffer(4096, '\0');
  while (!stopped_) {
    const net::IoResult read = co_await stream.read_some(buffer.data(), buffer.size());
    if (read.error || stopped_ || !reader.feed({buffer.data(), read.bytes})) break;
    for (;;) {
      auto message = reader.next();
      if (!message) co_return;
      if (!*message) break;
      if (auto master = switched_to(**message, settings_.master_name); master && !stopped_) {
        observability::log::info("redis: sentinels switched master '{}' to {}",
                                 settings_.master_name, to_string(*master));
        on_switch_(*master);
      }
    }
  }
}

void SwitchWatcher::stop() {
  stopped_ = true;
  if (subscription_ != nullptr) subscription_->close();
  pause_.cancel();
}

}  // namespace gatehouse::redis
