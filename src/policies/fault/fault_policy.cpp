#include "policies/fault/fault_policy.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <random>
#include <string>

#include "policies/fault/fault_config.h"

namespace gatehouse::policies {

namespace {

namespace asio = boost::asio;

// Whether a request falls within `percent` of all: a per-thread generator, so no lock.
bool chosen(double percent) {
  if (percent >= 100) return true;
  thread_local std::minstd_rand random{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 100)(random) < percent;
}

// What the request step chose, kept for the wait and for the response's header.
struct FaultsMet {
  bool delayed = false;
  bool aborted = false;
};

class FaultPolicy final : public StatefulPolicy<FaultsMet> {
 public:
  explicit FaultPolicy(const FaultConfig& config)
      : config_(config),
        delay_label_(config.delay ? "delay=" + std::to_string(config.delay->duration.count()) + "ms"
                                  : ""),
        abort_label_(config.abort ? "abort=" + std::to_string(config.abort->status) : "") {}

  Phase phase() const override { return Phase::transformation; }

  Verdict on_request(Exchange& exchange) const override {
    FaultsMet& met = state(exchange);
    met.delayed = config_.delay && chosen(config_.delay->percent);
    met.aborted = config_.abort && chosen(config_.abort->percent);
    if (met.delayed) return Verdict::wait;
    return met.aborted ? abort(exchange) : Verdict::proceed;
  }

  asio::awaitable<Verdict> on_request_async(Exchange& exchange) const override {
    asio::steady_timer timer(co_await asio::this_coro::executor, config_.delay->duration);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return state(exchange).aborted ? abort(exchange) : Verdict::proceed;
  }

  Verdict on_response(Exchange& exchange) const override {
    const FaultsMet& met = state(exchange);
    if (met.delayed) exchange.response_edits.add.emplace_back(kHeader, delay_label_);
    if (met.aborted) exchange.response_edits.add.emplace_back(kHeader, abort_label_);
    return Verdict::proceed;
  }

 private:
  static constexpr std::string_view kHeader = "Gatehouse-Fault";

  Verdict abort(Exchange& exchange) const {
    const int status = config_.abort->status;
    exchange.local_response = pipeline::LocalResponse::from_error(
        {status, status, "Injected Fault", "The API's fault policy answered this request."});
    return Verdict::respond;
  }

  const FaultConfig config_;
  const std::string delay_label_;
  const std::string abort_label_;
};

class FaultPolicyFactory final : public PolicyFactory {
 public:
  std::string_view name() const override { return "fault"; }

  CompileResult compile(const config::Node& node, const CompileContext&) const override {
    auto config = parse_fault_config(node);
    if (!config) return std::unexpected(config.error());
    return std::make_unique<const FaultPolicy>(*config);
  }
};

}  // namespace

const PolicyFactory& fault_policy_factory() {
  static const FaultPolicyFactory factory;
  return factory;
}

}  // namespace gatehouse::policies
