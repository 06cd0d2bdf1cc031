// Blocking conditions: requests refused outright (403, WSO2's 900805) for their API, application,
// user or client address, before anything is counted. They come from the config file and from
// the admin listener; both take effect on every worker without a reload.
//
// BlockingConditions is the control thread's list: the file's conditions (replaced at each
// reload) and the admin listener's (numbered, kept across reloads until removed). Each change
// compiles a new immutable BlockingList, which the gateway hands to every worker, as it does a
// store of subscriptions; a worker reads its own copy (Runtime::blocking), with no lock.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/throttling_model.h"
#include "security/identity/ip_matcher.h"

namespace gatehouse::throttling {

struct BlockingRule {
  uint64_t id = 0;  // 0: from the config file; else the admin listener's number
  config::BlockingCondition condition;
  identity::IpMatcher addresses;  // kinds ip and ip_range
};

// What a request is tested on.
struct BlockingSubject {
  std::string_view api;          // the API's context and version, "/pizzashack/1.0.0"
  std::string_view application;  // the caller's application id; empty: none
  std::string_view user;         // the caller's subject; empty: none
  std::string_view ip;           // the client address
};

class BlockingList {
 public:
  explicit BlockingList(std::vector<BlockingRule> rules) : rules_(std::move(rules)) {}

  // The first rule that blocks the request, or null.
  const BlockingRule* blocking(const BlockingSubject& subject) const;
  bool empty() const { return rules_.empty(); }
  const std::vector<BlockingRule>& rules() const { return rules_; }

 private:
  std::vector<BlockingRule> rules_;
};

using BlockingListPtr = std::shared_ptr<const BlockingList>;

// A condition compiled, or why it cannot be.
std::expected<BlockingRule, std::string> compile_blocking_rule(config::BlockingCondition condition,
                                                               uint64_t id);

class BlockingConditions {
 public:
  // The config file's conditions (validated when read), replacing the last file's.
  void set_from_file(const std::vector<config::BlockingCondition>& conditions);
  // The admin listener's: the added rule (with its id), or why the condition is invalid.
  std::expected<BlockingRule, std::string> add(config::BlockingCondition condition);
  // Whether an admin listener's condition with this id was there.
  bool remove(uint64_t id);

  // Every condition, the file's first; and the list workers test.
  const BlockingListPtr& current() const { return current_; }

 private:
  void publish();

  std::vector<BlockingRule> from_file_;
  std::vector<BlockingRule> added_;
  uint64_t next_id_ = 1;
  BlockingListPtr current_ = std::make_shared<const BlockingList>(std::vector<BlockingRule>{});
};

}  // namespace gatehouse::throttling
