#include "security/auth/validations_in_flight.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstring>

namespace gatehouse::security {

namespace asio = boost::asio;

ValidationsInFlight::Running::Running(const asio::any_io_executor& executor)
    : done(executor, asio::steady_timer::time_point::max()) {}

size_t ValidationsInFlight::DigestHash::operator()(const TokenDigest& digest) const {
  // SHA-256 output is uniform: its first bytes are a hash already.
  size_t value;
  std::memcpy(&value, digest.data(), sizeof(value));
  return value;
}

asio::awaitable<std::optional<ValidationsInFlight::Result>> ValidationsInFlight::join(
    const TokenDigest& digest, std::optional<Lead>& lead) {
  if (const auto found = running_.find(digest); found != running_.end()) {
    const std::shared_ptr<Running> running = found->second;
    co_await running->done.async_wait(asio::as_tuple(asio::use_awaitable));
    // No result: the lead's request ended first; this one validates on its own.
    if (running->result) co_return *running->result;
    co_return std::nullopt;
  }
  auto running = std::make_shared<Running>(co_await asio::this_coro::executor);
  running_.emplace(digest, running);
  lead.emplace(*this, digest, std::move(running));
  co_return std::nullopt;
}

ValidationsInFlight::Lead::Lead(ValidationsInFlight& owner, const TokenDigest& digest,
                                std::shared_ptr<Running> running)
    : owner_(&owner), digest_(digest), running_(std::move(running)) {}

ValidationsInFlight::Lead::Lead(Lead&& other) noexcept
    : owner_(other.owner_), digest_(other.digest_), running_(std::move(other.running_)) {}

ValidationsInFlight::Lead::~Lead() {
  if (!running_) return;
  owner_->running_.erase(digest_);
  running_->done.cancel();  // wakes the waiters, with or without a result
}

void ValidationsInFlight::Lead::finish(const Result& result) {
  running_->result = result;
}

}  // namespace gatehouse::security
