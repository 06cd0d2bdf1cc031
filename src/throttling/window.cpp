#include "throttling/window.h"

#include <chrono>

namespace gatehouse::throttling {
namespace {

constexpr int64_t kDay = 86'400'000;
// 1970-01-01 was a Thursday; weeks are counted from the Monday after it.
constexpr int64_t kFirstMonday = 4 * kDay;

// Floor division, for instants before the epoch too.
int64_t floor_div(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

WindowPosition fixed_length(int64_t length, int64_t origin, UnixMillis now) {
  const int64_t index = floor_div(now - origin, length);
  const UnixMillis start = origin + index * length;
  return {index, start, start + length};
}

UnixMillis month_start(int64_t months_since_epoch) {
  using namespace std::chrono;
  const year_month_day first{
      year{1970} + years{floor_div(months_since_epoch, 12)},
      month{static_cast<unsigned>(months_since_epoch - floor_div(months_since_epoch, 12) * 12) + 1},
      day{1}};
  return duration_cast<milliseconds>(sys_days{first}.time_since_epoch()).count();
}

WindowPosition months(uint32_t count, UnixMillis now) {
  using namespace std::chrono;
  const year_month_day today{floor<days>(sys_time<milliseconds>{milliseconds{now}})};
  const int64_t month_index =
      (static_cast<int>(today.year()) - 1970) * 12 + static_cast<unsigned>(today.month()) - 1;
  const int64_t index = floor_div(month_index, count);
  return {index, month_start(index * count), month_start((index + 1) * count)};
}

}  // namespace

int64_t unit_millis(config::TimeUnit unit) {
  switch (unit) {
    case config::TimeUnit::second:
      return 1'000;
    case config::TimeUnit::minute:
      return 60'000;
    case config::TimeUnit::hour:
      return 3'600'000;
    case config::TimeUnit::day:
      return kDay;
    case config::TimeUnit::week:
      return 7 * kDay;
    case config::TimeUnit::month:
      return 0;
  }
  return 0;
}

WindowPosition window_at(const config::WindowSpec& spec, UnixMillis now) {
  if (spec.unit == config::TimeUnit::month) return months(spec.count, now);
  const int64_t origin = spec.unit == config::TimeUnit::week ? kFirstMonday : 0;
  return fixed_length(unit_millis(spec.unit) * spec.count, origin, now);
}

}  // namespace gatehouse::throttling
