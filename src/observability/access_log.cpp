#include "observability/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/decimal.h"
#include "observability/json_escape.h"

namespace gatehouse::observability {
namespace {

constexpr auto kDrainInterval = std::chrono::milliseconds(100);

std::expected<int, std::string> open_for_append(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return std::unexpected("cannot open access log " + path + ": " + std::strerror(errno));
  return fd;
}

// Writes `value` with exactly `width` digits, zero-padded on the left.
void write_padded(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Microseconds as milliseconds with three decimals ("12.345"): exact, and no floating point.
void append_millis(std::string& out, std::chrono::microseconds duration) {
  const int64_t micros = std::max<int64_t>(duration.count(), 0);
  append_decimal(out, micros / 1000);
  char fraction[4] = {'.'};
  write_padded(fraction + 1, static_cast<unsigned>(micros % 1000), 3);
  out.append(fraction, sizeof fraction);
}

}  // namespace

std::expected<std::unique_ptr<AccessLog>, std::string> AccessLog::open(const std::string& path) {
  if (path == "off") return std::unique_ptr<AccessLog>(new AccessLog(path, Sink{}));
  if (path == "stdout") return std::unique_ptr<AccessLog>(new AccessLog(path, Sink{1, false}));
  auto fd = open_for_append(path);
  if (!fd) return std::unexpected(fd.error());
  return std::unique_ptr<AccessLog>(new AccessLog(path, Sink{*fd, true}));
}

AccessLog::AccessLog(std::string path, Sink sink) : path_(std::move(path)), sink_(sink) {
  if (sink_.fd >= 0) background_ = std::jthread([this] { run_background(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    assert(writers_.empty() && "every Writer must be destroyed before its AccessLog");
    stopping_ = true;
  }
  wake_.notify_one();
  if (background_.joinable()) background_.join();
  if (sink_.owned) ::close(sink_.fd);
}

std::unique_ptr<AccessLog::Writer> AccessLog::make_writer() {
  if (sink_.fd < 0) return std::unique_ptr<Writer>(new Writer(nullptr));
  auto writer = std::unique_ptr<Writer>(new Writer(this));
  std::lock_guard lock(mutex_);
  writers_.push_back(writer.get());
  return writer;
}

void AccessLog::flush_all() {
  std::lock_guard lock(mutex_);
  for (Writer* writer : writers_) drain_locked(*writer);
}

std::expected<void, std::string> AccessLog::reopen() {
  if (!sink_.owned) return {};
  auto fd = open_for_append(path_);
  if (!fd) return std::unexpected(fd.error());
  std::lock_guard lock(mutex_);
  // What was appended before the reopen still goes to the old file.
  for (Writer* writer : writers_) drain_locked(*writer);
  ::close(sink_.fd);
  sink_.fd = *fd;
  write_error_reported_ = false;
  return {};
}

void AccessLog::run_background() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kDrainInterval);
    for (Writer* writer : writers_) drain_locked(*writer);
  }
}

void AccessLog::wake_background() {
  wake_.notify_one();
}

void AccessLog::drain_locked(Writer& writer) {
  const uint64_t tail = writer.tail_.load(std::memory_order_relaxed);
  const uint64_t head = writer.head_.load(std::memory_order_acquire);
  if (head == tail) return;
  constexpr uint64_t kMask = Writer::kRingBytes - 1;
  const size_t start = tail & kMask;
  const size_t size = head - tail;
  const size_t first = std::min(size, Writer::kRingBytes - start);
  write_locked({writer.ring_.get() + start, first});
  if (first < size) write_locked({writer.ring_.get(), size - first});
  writer.tail_.store(head, std::memory_order_release);
}

void AccessLog::write_locked(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(sink_.fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      // Losing log lines must not stop the gateway; say so once per failing stretch.
      if (!write_error_reported_) {
        std::fprintf(stderr, "gatehouse: access log %s: write failed: %s\n", path_.c_str(),
                     written < 0 ? std::strerror(errno) : "nothing written");
        write_error_reported_ = true;
      }
      return;
    }
    write_error_reported_ = false;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
}

AccessLog::Writer::Writer(AccessLog* log) : log_(log) {
  if (log_) ring_ = std::make_unique<char[]>(kRingBytes);
  line_.reserve(1024);
}

AccessLog::Writer::~Writer() {
  if (!log_) return;
  std::lock_guard lock(log_->mutex_);
  log_->drain_locked(*this);
  std::erase(log_->writers_, this);
}

void AccessLog::Writer::append(const AccessRecord& record) {
  if (!log_) return;
  format(record);
  publish(line_);
}

void AccessLog::Writer::format(const AccessRecord& r) {
  using namespace std::chrono;
  line_.clear();

  const int64_t millis = duration_cast<milliseconds>(r.time.time_since_epoch()).count();
  const int64_t second = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
  if (second != cached_second_) {
    const sys_seconds at{seconds(second)};
    const auto day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    write_padded(cached_time_, static_cast<unsigned>(static_cast<int>(date.year())), 4);
    cached_time_[4] = '-';
    write_padded(cached_time_ + 5, static_cast<unsigned>(date.month()), 2);
    cached_time_[7] = '-';
    write_padded(cached_time_ + 8, static_cast<unsigned>(date.day()), 2);
    cached_time_[10] = 'T';
    write_padded(cached_time_ + 11, static_cast<unsigned>(time.hours().count()), 2);
    cached_time_[13] = ':';
    write_padded(cached_time_ + 14, static_cast<unsigned>(time.minutes().count()), 2);
    cached_time_[16] = ':';
    write_padded(cached_time_ + 17, static_cast<unsigned>(time.seconds().count()), 2);
    cached_second_ = second;
  }
  char time_text[] = "\"0000-00-00T00:00:00.000Z\"";
  std::memcpy(time_text + 1, cached_time_, sizeof cached_time_);
  write_padded(time_text + 21, static_cast<unsigned>(millis - second * 1000), 3);

  line_ += "{\"time\":";
  line_.append(time_text, sizeof time_text - 1);
  line_ += ",\"api\":";
  append_json_string(line_, r.api);
  line_ += ",\"api_version\":";
  append_json_string(line_, r.api_version);
  line_ += ",\"resource\":";
  append_json_string(line_, r.resource);
  line_ += ",\"method\":";
  append_json_string(line_, r.method);
  line_ += ",\"path\":";
  append_json_string(line_, r.path);
  line_ += ",\"status\":";
  append_decimal(line_, r.status);
  line_ += ",\"bytes_in\":";
  append_decimal(line_, r.bytes_received);
  line_ += ",\"bytes_out\":";
  append_decimal(line_, r.bytes_sent);
  line_ += ",\"latency_ms\":";
  append_millis(line_, r.latency_total);
  line_ += ",\"backend_latency_ms\":";
  append_millis(line_, r.latency_backend);
  line_ += ",\"request_id\":";
  append_json_string(line_, r.request_id);
  line_ += ",\"client_ip\":";
  append_json_string(line_, r.client_ip);
  line_ += ",\"upstream\":";
  append_json_string(line_, r.upstream);
  line_ += ",\"subject\":";
  append_json_string(line_, r.subject);
  line_ += ",\"application\":";
  append_json_string(line_, r.application);
  line_ += ",\"auth_error\":";
  append_json_string(line_, r.auth_error);
  if (!r.throttled_by.empty()) {
    line_ += ",\"throttled_by\":";
    append_json_string(line_, r.throttled_by);
  }
  line_ += "}\n";
}

void AccessLog::Writer::publish(std::string_view line) {
  const uint64_t head = head_.load(std::memory_order_relaxed);
  const uint64_t tail = tail_.load(std::memory_order_acquire);
  const uint64_t used = head - tail;
  if (line.size() > kRingBytes - used) {
    // The sink is behind: write in order, on this thread, rather than drop the line.
    std::lock_guard lock(log_->mutex_);
    log_->drain_locked(*this);
    log_->write_locked(line);
    return;
  }
  constexpr uint64_t kMask = kRingBytes - 1;
  const size_t start = head & kMask;
  const size_t first = std::min(line.size(), kRingBytes - start);
  std::memcpy(ring_.get() + start, line.data(), first);
  std::memcpy(ring_.get(), line.data() + first, line.size() - first);
  head_.store(head + line.size(), std::memory_order_release);
  constexpr uint64_t kHalf = kRingBytes / 2;
  if (used < kHalf && used + line.size() >= kHalf) log_->wake_background();
}

}  // namespace gatehouse::observability
