#include "throttling/window.h"

#include <gtest/gtest.h>

namespace gatehouse::throttling {
namespace {

using config::TimeUnit;
using config::WindowSpec;

// 2026-12-05T18:31:42.250Z, a Saturday.
constexpr UnixMillis kSaturday = 1796495502250;
constexpr UnixMillis kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;

TEST(Window, AMinuteStartsAtSecondZero) {
  const WindowPosition window = window_at({1, TimeUnit::minute}, kSaturday);
  EXPECT_EQ(window.start, kSaturday - 42'250);
  EXPECT_EQ(window.end, window.start + kMinute);
  EXPECT_DOUBLE_EQ(window.elapsed(kSaturday), 42.25 / 60);
}

TEST(Window, ConsecutiveWindowsHaveConsecutiveIndexes) {
  const WindowSpec spec{5, TimeUnit::minute};
  const WindowPosition now = window_at(spec, kSaturday);
  const WindowPosition next = window_at(spec, now.end);
  EXPECT_EQ(next.index, now.index + 1);
  EXPECT_EQ(next.start, now.end);
  EXPECT_EQ(window_at(spec, now.end - 1).index, now.index);
  // Five minutes from 18:30 to 18:35.
  EXPECT_EQ(now.start, kSaturday - 102'250);
  EXPECT_EQ(now.length(), 5 * kMinute);
}

TEST(Window, AnHourAndADayAreAlignedToTheClock) {
  EXPECT_EQ(window_at({1, TimeUnit::hour}, kSaturday).start, kSaturday - 31 * kMinute - 42'250);
  const WindowPosition day = window_at({1, TimeUnit::day}, kSaturday);
  EXPECT_EQ(day.start, kSaturday - 18 * kHour - 31 * kMinute - 42'250);
  EXPECT_EQ(day.length(), kDay);
}

TEST(Window, AWeekStartsOnMonday) {
  const WindowPosition week = window_at({1, TimeUnit::week}, kSaturday);
  const UnixMillis saturday_midnight = window_at({1, TimeUnit::day}, kSaturday).start;
  EXPECT_EQ(week.start, saturday_midnight - 5 * kDay);  // Monday 2026-11-30
  EXPECT_EQ(week.length(), 7 * kDay);
}

TEST(Window, AMonthIsACalendarMonth) {
  const WindowPosition december = window_at({1, TimeUnit::month}, kSaturday);
  EXPECT_EQ(december.start, 1796083200000);  // 2026-12-01T00:00:00Z
  EXPECT_EQ(december.end, 1798761600000);    // 2027-01-01T00:00:00Z
  const WindowPosition january = window_at({1, TimeUnit::month}, december.end);
  EXPECT_EQ(january.index, december.index + 1);
  EXPECT_EQ(january.length(), 31 * kDay);
  // February 2027 has 28 days.
  EXPECT_EQ(window_at({1, TimeUnit::month}, january.end).length(), 28 * kDay);
}

TEST(Window, SeveralMonthsStartAtAMultipleOfThemSince1970) {
  const WindowPosition quarter = window_at({3, TimeUnit::month}, kSaturday);
  EXPECT_EQ(quarter.start, 1790812800000);  // 2026-10-01
  EXPECT_EQ(quarter.end, 1798761600000);    // 2027-01-01
}

TEST(Window, SecondsBeforeTheEpochFloor) {
  const WindowPosition window = window_at({1, TimeUnit::second}, -1);
  EXPECT_EQ(window.index, -1);
  EXPECT_EQ(window.start, -1000);
  EXPECT_EQ(window.end, 0);
}

}  // namespace
}  // namespace gatehouse::throttling
