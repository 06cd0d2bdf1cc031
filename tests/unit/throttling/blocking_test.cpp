// Blocking conditions: what each kind matches, invert, and the list the control thread keeps
// (the file's conditions replaced at a reload, the admin listener's numbered and kept).
#include "throttling/blocking.h"

#include <gtest/gtest.h>

namespace gatehouse::throttling {
namespace {

using Kind = config::BlockingCondition::Kind;

config::BlockingCondition condition(Kind kind, std::string value, bool invert = false) {
  return {.kind = kind, .value = std::move(value), .invert = invert};
}

BlockingList list_of(std::vector<config::BlockingCondition> conditions) {
  std::vector<BlockingRule> rules;
  for (auto& each : conditions) {
    auto rule = compile_blocking_rule(std::move(each), 0);
    EXPECT_TRUE(rule.has_value()) << rule.error();
    if (rule) rules.push_back(std::move(*rule));
  }
  return BlockingList(std::move(rules));
}

const BlockingSubject kAlice{
    .api = "/shop/1.0", .application = "app-1", .user = "alice", .ip = "192.0.2.7"};

TEST(BlockingList, EachKindMatchesItsPartOfTheRequest) {
  EXPECT_NE(list_of({condition(Kind::api, "/shop/1.0")}).blocking(kAlice), nullptr);
  EXPECT_EQ(list_of({condition(Kind::api, "/shop/2.0")}).blocking(kAlice), nullptr);
  EXPECT_NE(list_of({condition(Kind::application, "app-1")}).blocking(kAlice), nullptr);
  EXPECT_EQ(list_of({condition(Kind::application, "app-2")}).blocking(kAlice), nullptr);
  EXPECT_NE(list_of({condition(Kind::user, "alice")}).blocking(kAlice), nullptr);
  EXPECT_EQ(list_of({condition(Kind::user, "bob")}).blocking(kAlice), nullptr);
  EXPECT_NE(list_of({condition(Kind::ip, "192.0.2.7")}).blocking(kAlice), nullptr);
  EXPECT_EQ(list_of({condition(Kind::ip, "192.0.2.8")}).blocking(kAlice), nullptr);
  EXPECT_NE(list_of({condition(Kind::ip_range, "192.0.2.0-192.0.2.9")}).blocking(kAlice), nullptr);
  EXPECT_EQ(list_of({condition(Kind::ip_range, "192.0.2.8-192.0.2.9")}).blocking(kAlice), nullptr);
}

TEST(BlockingList, InvertBlocksEverythingElse) {
  const BlockingList only_this_range =
      list_of({condition(Kind::ip_range, "192.0.2.0-192.0.2.255", true)});
  EXPECT_EQ(only_this_range.blocking(kAlice), nullptr);
  BlockingSubject outsider = kAlice;
  outsider.ip = "198.51.100.1";
  EXPECT_NE(only_this_range.blocking(outsider), nullptr);
}

TEST(BlockingList, AnAnonymousCallerMatchesNoApplicationOrUserCondition) {
  const BlockingSubject anonymous{.api = "/shop/1.0", .ip = "192.0.2.7"};
  EXPECT_EQ(list_of({condition(Kind::application, "app-1")}).blocking(anonymous), nullptr);
  EXPECT_EQ(list_of({condition(Kind::user, "alice")}).blocking(anonymous), nullptr);
}

TEST(BlockingRule, MalformedValuesAreRefusedWithAReason) {
  EXPECT_FALSE(compile_blocking_rule(condition(Kind::ip, "not-an-address"), 1));
  EXPECT_FALSE(compile_blocking_rule(condition(Kind::ip_range, "192.0.2.9-192.0.2.1"), 1));
  EXPECT_FALSE(compile_blocking_rule(condition(Kind::ip_range, "192.0.2.1"), 1));
  EXPECT_FALSE(compile_blocking_rule(condition(Kind::api, "shop"), 1));
  EXPECT_FALSE(compile_blocking_rule(condition(Kind::application, ""), 1));
}

TEST(BlockingConditions, AdminConditionsAreNumberedAndOutliveTheFilesReplacement) {
  BlockingConditions conditions;
  conditions.set_from_file({condition(Kind::user, "mallory")});
  const auto added = conditions.add(condition(Kind::ip, "192.0.2.7"));
  ASSERT_TRUE(added.has_value()) << added.error();
  EXPECT_NE(added->id, 0u);
  EXPECT_EQ(conditions.current()->rules().size(), 2u);
  EXPECT_EQ(conditions.current()->rules().front().id, 0u);  // the file's come first

  conditions.set_from_file({});  // a reload of a file without conditions
  ASSERT_EQ(conditions.current()->rules().size(), 1u);
  EXPECT_EQ(conditions.current()->rules().front().id, added->id);
  EXPECT_NE(conditions.current()->blocking(kAlice), nullptr);

  EXPECT_FALSE(conditions.remove(added->id + 1));
  EXPECT_TRUE(conditions.remove(added->id));
  EXPECT_FALSE(conditions.remove(added->id));
  EXPECT_TRUE(conditions.current()->empty());
}

TEST(BlockingConditions, EachChangePublishesANewListAndLeavesTheOldOneIntact) {
  BlockingConditions conditions;
  const BlockingListPtr before = conditions.current();
  ASSERT_TRUE(conditions.add(condition(Kind::api, "/shop/1.0")));
  EXPECT_NE(conditions.current(), before);
  EXPECT_TRUE(before->empty());  // a worker still holding it sees what it saw
  EXPECT_FALSE(conditions.add(condition(Kind::ip, "nope")));
  EXPECT_EQ(conditions.current()->rules().size(), 1u);
}

}  // namespace
}  // namespace gatehouse::throttling
