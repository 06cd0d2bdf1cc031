#include "redis_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace gatehouse::redis::fixtures {

namespace {

// fork and exec rather than posix_spawn: the child asks to be killed when the test process dies,
// so that a crashed test leaves no server behind.
pid_t spawn(const std::vector<std::string>& args, int stdout_fd) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + strerror(errno));
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl
    const int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    close_range(3, ~0U, 0);  // the test's sockets stay the test's: a close there must be one
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string cli(uint16_t port, const std::vector<std::string>& args) {
  std::vector<std::string> command = {"redis-cli",          "-h",   "127.0.0.1", "-p",
                                      std::to_string(port), "--raw"};
  command.insert(command.end(), args.begin(), args.end());
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(command, pipe_fds[1]);
  close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) out.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

RedisProcess::RedisProcess(std::vector<std::string> extra) {
  char directory[] = "/tmp/gatehouse-redis-XXXXXX";
  if (mkdtemp(directory) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = directory;
  port_ = free_port();
  argv_ = {"redis-server",
           "--port",
           std::to_string(port_),
           "--bind",
           "127.0.0.1",
           "--dir",
           directory_,
           "--save",
           "",
           "--appendonly",
           "no",
           "--logfile",
           directory_ + "/redis.log"};
  argv_.insert(argv_.end(), extra.begin(), extra.end());
  launch();
}

RedisProcess RedisProcess::sentinel(const std::vector<std::string>& config) {
  char directory[] = "/tmp/gatehouse-sentinel-XXXXXX";
  if (mkdtemp(directory) == nullptr) throw std::runtime_error("mkdtemp failed");
  const uint16_t port = free_port();
  // Sentinel rewrites its config file as it learns the topology: a file of its own.
  const std::string file = std::string(directory) + "/sentinel.conf";
  std::ofstream out(file);
  out << "port " << port << "\nbind 127.0.0.1\ndir " << directory << "\nlogfile " << directory
      << "/sentinel.log\n";
  for (const std::string& line : config) out << line << '\n';
  out.close();
  return RedisProcess(directory, port, {"redis-sentinel", file});
}

RedisProcess::RedisProcess(std::string directory, uint16_t port, std::vector<std::string> argv)
    : directory_(std::move(directory)), argv_(std::move(argv)), port_(port) {
  launch();
}

RedisProcess::RedisProcess(RedisProcess&& other) noexcept
    : directory_(std::move(other.directory_)),
      argv_(std::move(other.argv_)),
      port_(other.port_),
      pid_(std::exchange(other.pid_, -1)) {}

RedisProcess::~RedisProcess() {
  kill();
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

std::string RedisProcess::info(const std::string& section, const std::string& field) const {
  const std::string text = cli({"INFO", section});
  const size_t at = text.find("\n" + field + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + field.size() + 2;
  return text.substr(start, text.find_first_of("\r\n", start) - start);
}

void RedisProcess::launch() {
  pid_ = spawn(argv_, -1);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  // Up once it answers: PONG, or a refusal when it wants a password.
  for (std::string answer; (answer = cli({"PING"})) != "PONG" && !answer.starts_with("NOAUTH");) {
    if (std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error(argv_[0] + " on port " + std::to_string(port_) +
                               " did not answer PING; see " + directory_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RedisProcess::kill() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::restart() {
  kill();
  launch();
}

}  // namespace gatehouse::redis::fixtures
