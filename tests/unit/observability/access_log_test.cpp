#include "observability/access_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace gatehouse::observability {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("gatehouse-access-log-" + std::to_string(::getpid()) + "-" + std::to_string(next_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path file(const std::string& name) const { return path_ / name; }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

AccessRecord sample_record() {
  AccessRecord record;
  // 2024-02-29T23:59:58.123Z: a leap day, and a millisecond part to carry over.
  record.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1709251198123));
  record.api = "PizzaShack";
  record.api_version = "1.0.0";
  record.resource = "GET /menu";
  record.method = "GET";
  record.path = "/pizzashack/1.0.0/menu";
  record.request_id = "req-1";
  record.client_ip = "127.0.0.1";
  record.upstream = "127.0.0.1:9000";
  record.subject = "alice";
  record.application = "PizzaApp";
  record.status = 200;
  record.bytes_received = 12;
  record.bytes_sent = 3456;
  record.latency_total = 1234us;
  record.latency_backend = 5us;
  return record;
}

std::unique_ptr<AccessLog> open_log(const fs::path& file) {
  auto log = AccessLog::open(file.string());
  EXPECT_TRUE(log.has_value()) << log.error();
  return std::move(*log);
}

TEST(AccessLog, WritesOneJsonLineWithEveryField) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  auto writer = log->make_writer();
  writer->append(sample_record());
  log->flush_all();

  const auto lines = read_lines(dir.file("access.log"));
  ASSERT_EQ(lines.size(), 1u);
  const boost::json::object line = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(line.at("time").as_string(), "2024-02-29T23:59:58.123Z");
  EXPECT_EQ(line.at("api").as_string(), "PizzaShack");
  EXPECT_EQ(line.at("api_version").as_string(), "1.0.0");
  EXPECT_EQ(line.at("resource").as_string(), "GET /menu");
  EXPECT_EQ(line.at("method").as_string(), "GET");
  EXPECT_EQ(line.at("path").as_string(), "/pizzashack/1.0.0/menu");
  EXPECT_EQ(line.at("status").as_int64(), 200);
  EXPECT_EQ(line.at("bytes_in").as_int64(), 12);
  EXPECT_EQ(line.at("bytes_out").as_int64(), 3456);
  EXPECT_DOUBLE_EQ(line.at("latency_ms").as_double(), 1.234);
  EXPECT_DOUBLE_EQ(line.at("backend_latency_ms").as_double(), 0.005);
  EXPECT_EQ(line.at("request_id").as_string(), "req-1");
  EXPECT_EQ(line.at("client_ip").as_string(), "127.0.0.1");
  EXPECT_EQ(line.at("upstream").as_string(), "127.0.0.1:9000");
  EXPECT_EQ(line.at("subject").as_string(), "alice");
  EXPECT_EQ(line.at("application").as_string(), "PizzaApp");
  EXPECT_EQ(line.at("auth_error").as_string(), "");
  EXPECT_EQ(line.size(), 17u);
}

TEST(AccessLog, EscapesQuotesControlCharactersAndInvalidUtf8) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  auto writer = log->make_writer();
  AccessRecord record = sample_record();
  const std::string path = std::string(
                               "/a\"b\\c\nd\te\x01"
                               "f\x7fg ") +
                           "caf\xc3\xa9 \xff\xc0\xaf \xed\xa0\x80!";
  record.path = path;
  record.api = "";
  writer->append(record);
  log->flush_all();

  const auto lines = read_lines(dir.file("access.log"));
  ASSERT_EQ(lines.size(), 1u) << "a newline in a field must not split the line";
  const boost::json::object line = boost::json::parse(lines[0]).as_object();
  // Valid UTF-8 (é) stays as it is; a stray byte, an overlong form and a surrogate become U+FFFD.
  EXPECT_EQ(line.at("path").as_string(),
            "/a\"b\\c\nd\te\x01"
            "f\x7fg caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!");
  EXPECT_EQ(line.at("api").as_string(), "");
}

TEST(AccessLog, KeepsEveryLineFromManyThreadsInOrderPerThread) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  constexpr int kThreads = 4;
  // Far more than one writer's ring holds, so that both the background thread and the
  // worker's own writing when its ring is full take part.
  constexpr int kPerThread = 20'000;
  std::vector<std::unique_ptr<AccessLog::Writer>> writers;
  for (int t = 0; t < kThreads; ++t) writers.push_back(log->make_writer());
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        AccessRecord record = sample_record();
        for (int i = 0; i < kPerThread; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(i);
          record.request_id = id;
          writers[t]->append(record);
        }
      });
    }
  }
  log->flush_all();

  const auto lines = read_lines(dir.file("access.log"));
  ASSERT_EQ(lines.size(), size_t{kThreads * kPerThread});
  std::vector<int> next(kThreads, 0);
  for (const auto& text : lines) {
    const auto line = boost::json::parse(text).as_object();
    const std::string id(line.at("request_id").as_string());
    const int thread = std::stoi(id.substr(0, id.find('-')));
    const int index = std::stoi(id.substr(id.find('-') + 1));
    ASSERT_EQ(index, next[thread]) << "line out of order for thread " << thread;
    ++next[thread];
  }
}

TEST(AccessLog, LinesReachTheFileWithoutAFlush) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  auto writer = log->make_writer();
  writer->append(sample_record());
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (read_lines(dir.file("access.log")).empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(read_lines(dir.file("access.log")).size(), 1u);
}

TEST(AccessLog, DestroyingAWriterWritesWhatItHolds) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  auto writer = log->make_writer();
  writer->append(sample_record());
  writer.reset();
  EXPECT_EQ(read_lines(dir.file("access.log")).size(), 1u);
}

TEST(AccessLog, ReopenSwitchesToTheNewFileAfterRotation) {
  TempDir dir;
  auto log = open_log(dir.file("access.log"));
  auto writer = log->make_writer();
  AccessRecord record = sample_record();
  record.request_id = "before";
  writer->append(record);
  fs::rename(dir.file("access.log"), dir.file("access.log.1"));
  ASSERT_TRUE(log->reopen().has_value());
  record.request_id = "after";
  writer->append(record);
  log->flush_all();

  const auto rotated = read_lines(dir.file("access.log.1"));
  const auto current = read_lines(dir.file("access.log"));
  ASSERT_EQ(rotated.size(), 1u);
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(boost::json::parse(rotated[0]).at("request_id").as_string(), "before");
  EXPECT_EQ(boost::json::parse(current[0]).at("request_id").as_string(), "after");
}

TEST(AccessLog, OpenFailsWithTheReasonForAnUnwritablePath) {
  auto log = AccessLog::open("/nonexistent-dir/access.log");
  ASSERT_FALSE(log.has_value());
  EXPECT_NE(log.error().find("/nonexistent-dir/access.log"), std::string::npos);
  EXPECT_NE(log.error().find("No such file"), std::string::npos);
}

TEST(AccessLog, OffWritesNothing) {
  TempDir dir;
  const auto before = fs::current_path();
  fs::current_path(dir.file(""));
  {
    auto log = AccessLog::open("off");
    ASSERT_TRUE(log.has_value());
    auto writer = (*log)->make_writer();
    writer->append(sample_record());
    (*log)->flush_all();
  }
  fs::current_path(before);
  EXPECT_TRUE(fs::is_empty(dir.file(""))) << "\"off\" must not be taken for a file name";
}

}  // namespace
}  // namespace gatehouse::observability
