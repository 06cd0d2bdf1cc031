// A crash in the middle of writes loses no acknowledged one: a child process stores refresh
// tokens and reports each after its call returned, and is killed (SIGKILL) at a random moment;
// the file, reopened, has every token the child reported. (A process crash: a power cut, which
// synchronous=FULL is for, cannot be made here.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "keymanager/store/sqlite_grant_store.h"
#include "store_fixture.h"

namespace gatehouse::keymanager {
namespace {

using fixtures::open_store;
using fixtures::refresh_token;

constexpr int tokens_to_write = 400;

std::string token_hash(int index) {
  return "token-" + std::to_string(index);
}

// The child: writes "acknowledged <k>\n" once token k is stored. Never returns.
[[noreturn]] void write_tokens(const std::string& path, int report_fd) {
  auto store = SqliteGrantStore::open(path);
  if (!store) ::_exit(2);
  for (int index = 0; index < tokens_to_write; ++index) {
    if (!(*store)->put_refresh_token(refresh_token(token_hash(index)))) ::_exit(3);
    const std::string line = "acknowledged " + std::to_string(index) + "\n";
    if (::write(report_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      ::_exit(4);
    }
  }
  ::_exit(0);
}

// Reads the child's reports until `wanted` arrived or the pipe closed; returns how many came.
int read_acknowledgements(int fd, std::string& pending, int acknowledged, int wanted) {
  char buffer[4096];
  while (acknowledged < wanted) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    pending.append(buffer, static_cast<size_t>(got));
    for (size_t end; (end = pending.find('\n')) != std::string::npos; pending.erase(0, end + 1)) {
      if (pending.starts_with("acknowledged ")) ++acknowledged;
    }
  }
  return acknowledged;
}

TEST(CrashDurabilityTest, EveryAcknowledgedTokenSurvivesAKill) {
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 5; ++round) {
    fixtures::TempDir dir;
    const std::string path = dir.file("grants.db");
    int report[2];
    ASSERT_EQ(::pipe(report), 0);

    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(report[0]);
      write_tokens(path, report[1]);
    }
    ::close(report[1]);

    // Kill it after a random number of acknowledgements and a random moment more, so that the
    // kill lands anywhere in a write.
    std::string pending;
    const int kill_after = std::uniform_int_distribution<int>(1, tokens_to_write - 50)(random);
    int acknowledged = read_acknowledgements(report[0], pending, 0, kill_after);
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(random)));
    ::kill(child, SIGKILL);
    acknowledged = read_acknowledgements(report[0], pending, acknowledged, tokens_to_write);
    ::close(report[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "the child failed before the kill: exit " << WEXITSTATUS(status);

    auto store = open_store(path);
    ASSERT_GE(acknowledged, kill_after);
    for (int index = 0; index < acknowledged; ++index) {
      auto found = store->find_refresh_token(token_hash(index));
      ASSERT_TRUE(found) << found.error().describe();
      ASSERT_TRUE(found->has_value())
          << "round " << round << ": token " << index << " of " << acknowledged << " acknowledged";
    }
  }
}

}  // namespace
}  // namespace gatehouse::keymanager
