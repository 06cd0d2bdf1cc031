#include "redis/sentinel.h"

#include <array>
#include <charconv>
#include <string_view>

#include "redis/command.h"
#include "redis/dial.h"
#include "redis/errors.h"

namespace gatehouse::redis {

namespace asio = boost::asio;

namespace {

// The master's [ip, port], or why the reply is not that (nil: the Sentinel monitors no such
// master).
std::expected<Address, std::string> master_address(const Reply& reply) {
  if (reply.is_error()) return std::unexpected(reply.text);
  if (reply.type == Reply::Type::nil) return std::unexpected("does not know the master");
  if (reply.type != Reply::Type::array || reply.elements.size() != 2) {
    return std::unexpected("answered with something else than [ip, port]");
  }
  const std::string& port_text = reply.elements[1].text;
  uint16_t port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0) {
    return std::unexpected("answered with port '" + port_text + "'");
  }
  return Address{reply.elements[0].text, port};
}

}  // namespace

asio::awaitable<std::expected<Address, Error>> MasterLocator::locate() {
  std::string question;
  size_t count = 0;
  if (!settings_.sentinel_password.empty()) {
    const std::array<std::string_view, 2> auth = {"AUTH", settings_.sentinel_password};
    append_command(question, auth);
    ++count;
  }
  const std::array<std::string_view, 3> ask = {"SENTINEL", "get-master-addr-by-name",
                                               settings_.master_name};
  append_command(question, ask);
  ++count;

  std::string answers;  // what each Sentinel said, for the error when none helped
  const size_t sentinels = settings_.sentinels.size();
  for (size_t i = 0; i < sentinels; ++i) {
    const size_t index = (first_ + i) % sentinels;
    const Address& sentinel = settings_.sentinels[index];
    auto dialed = co_await dial(sentinel, question, count, settings_.connect_timeout);
    std::expected<Address, std::string> master = dialed
                                                     ? master_address(dialed->replies.back())
                                                     : std::unexpected(dialed.error().describe());
    if (dialed && count == 2 && dialed->replies.front().is_error()) {
      master = std::unexpected("AUTH refused: " + dialed->replies.front().text);
    }
    if (dialed) dialed->stream.close();
    if (master) {
      first_ = index;
      co_return *master;
    }
    if (!answers.empty()) answers += "; ";
    answers += "sentinel " + to_string(sentinel) + ": " + master.error();
  }
  co_return std::unexpected(failure(ErrorKind::unreachable,
                                    "redis master '" + settings_.master_name + "' (sentinels)",
                                    std::move(answers)));
}

}  // namespace gatehouse::redis
