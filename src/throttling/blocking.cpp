#include "throttling/blocking.h"

#include <algorithm>

namespace gatehouse::throttling {
namespace {

bool matches(const BlockingRule& rule, const BlockingSubject& subject) {
  using Kind = config::BlockingCondition::Kind;
  switch (rule.condition.kind) {
    case Kind::api:
      return subject.api == rule.condition.value;
    case Kind::application:
      return !subject.application.empty() && subject.application == rule.condition.value;
    case Kind::user:
      return !subject.user.empty() && subject.user == rule.condition.value;
    case Kind::ip:
    case Kind::ip_range:
      return rule.addresses.matches(subject.ip);
  }
  return false;
}

}  // namespace

const BlockingRule* BlockingList::blocking(const BlockingSubject& subject) const {
  for (const BlockingRule& rule : rules_) {
    if (matches(rule, subject) != rule.condition.invert) return &rule;
  }
  return nullptr;
}

std::expected<BlockingRule, std::string> compile_blocking_rule(config::BlockingCondition condition,
                                                               uint64_t id) {
  using Kind = config::BlockingCondition::Kind;
  BlockingRule rule{id, std::move(condition), {}};
  if (rule.condition.value.empty()) return std::unexpected("the condition has no value");
  if (rule.condition.kind == Kind::api && rule.condition.value.front() != '/') {
    return std::unexpected("an API is named by its context and version, \"/pizzashack/1.0.0\"");
  }
  const bool range = rule.condition.value.find('-') != std::string::npos;
  if (rule.condition.kind == Kind::ip || rule.condition.kind == Kind::ip_range) {
    if ((rule.condition.kind == Kind::ip_range) != range) {
      return std::unexpected(rule.condition.kind == Kind::ip_range
                                 ? "an IP range is written first-last, \"192.0.2.0-192.0.2.255\""
                                 : "an IP condition holds one address; ranges are ip_range");
    }
    auto addresses = identity::IpMatcher::parse({rule.condition.value});
    if (!addresses) return std::unexpected(addresses.error().message);
    rule.addresses = std::move(*addresses);
  }
  return rule;
}

void BlockingConditions::set_from_file(const std::vector<config::BlockingCondition>& conditions) {
  from_file_.clear();
  for (const config::BlockingCondition& condition : conditions) {
    // The reader validated them; one that still fails to compile blocks nothing.
    if (auto rule = compile_blocking_rule(condition, 0)) from_file_.push_back(std::move(*rule));
  }
  publish();
}

std::expected<BlockingRule, std::string> BlockingConditions::add(
    config::BlockingCondition condition) {
  auto rule = compile_blocking_rule(std::move(condition), next_id_);
  if (!rule) return rule;
  ++next_id_;
  added_.push_back(*rule);
  publish();
  return rule;
}

bool BlockingConditions::remove(uint64_t id) {
  const auto erased =
      std::erase_if(added_, [id](const BlockingRule& rule) { return rule.id == id; });
  if (erased == 0) return false;
  publish();
  return true;
}

void BlockingConditions::publish() {
  std::vector<BlockingRule> rules = from_file_;
  rules.insert(rules.end(), added_.begin(), added_.end());
  current_ = std::make_shared<const BlockingList>(std::move(rules));
}

}  // namespace gatehouse::throttling
