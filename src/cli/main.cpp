// gatehouse: the command line. `run` serves, `validate` checks a config without starting
// anything, `version` prints the version; `hash-password` and `api-key` make credentials
// (cli/key_commands.h).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cli/key_commands.h"
#include "config/loader.h"
#include "observability/metrics.h"
#include "proxy/snapshot.h"
#include "server/gateway.h"

namespace {

constexpr const char* main_help = R"(gatehouse - an API gateway

Usage:
  gatehouse run -c FILE        serve the APIs configured in FILE
  gatehouse validate -c FILE   check FILE and report every error as FILE:LINE:COL: message
  gatehouse version            print the version
  gatehouse hash-password      read a password on stdin, print its Argon2id hash for users:
  gatehouse api-key -c FILE --application ID
                               issue an API key for an application of FILE
  gatehouse COMMAND --help     help for one command
)";

constexpr const char* run_help = R"(Usage: gatehouse run -c FILE

Serves the APIs configured in FILE (YAML, see docs/config.md).
  -c, --config FILE   the configuration file (required)

Signals: SIGHUP reloads FILE (it is also reloaded when it changes on disk); an invalid new
configuration is reported and the previous one keeps serving. SIGTERM or SIGINT stop accepting,
let requests in flight finish within shutdown_timeout, and exit 0.
)";

constexpr const char* validate_help = R"(Usage: gatehouse validate -c FILE

Checks FILE as `run` would (syntax, unknown keys, values, policies, routes) without binding any
port. Prints every error as FILE:LINE:COL: message (the first 100 of the file, then how many
more) and exits 1 if there is one, 0 otherwise. Warnings (FILE:LINE:COL: warning: message) do not
change the exit status.
  -c, --config FILE   the configuration file (required)
)";

constexpr const char* version_help = R"(Usage: gatehouse version

Prints the version of this gatehouse binary.
)";

bool wants_help(const std::vector<std::string_view>& args) {
  for (std::string_view a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

// Returns the value of -c/--config, or empty with a message on stderr.
std::string config_argument(const std::vector<std::string_view>& args, const char* help) {
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-c" || args[i] == "--config") {
      if (i + 1 == args.size()) break;
      path = std::string(args[++i]);
    } else if (args[i].starts_with("--config=")) {
      path = std::string(args[i].substr(9));
    } else {
      std::fprintf(stderr, "gatehouse: unexpected argument '%.*s'\n\n%s",
                   static_cast<int>(args[i].size()), args[i].data(), help);
      return {};
    }
  }
  if (path.empty())
    std::fprintf(stderr, "gatehouse: a config file is required (-c FILE)\n\n%s", help);
  return path;
}

int validate(const std::string& path) {
  auto config = gatehouse::config::load_file(path);
  if (!config) {
    for (const std::string& line : config.error().report())
      std::fprintf(stderr, "%s\n", line.c_str());
    return 1;
  }
  for (const auto& warning : config->warnings) {
    std::fprintf(stderr, "%s:%d:%d: warning: %s\n", warning.location.file.c_str(),
                 warning.location.line, warning.location.column, warning.message.c_str());
  }
  gatehouse::observability::Metrics metrics(0, GATEHOUSE_VERSION);
  auto snapshot = gatehouse::proxy::compile_snapshot(std::move(*config), metrics, nullptr);
  if (!snapshot) {
    for (const std::string& line : snapshot.error().report())
      std::fprintf(stderr, "%s\n", line.c_str());
    return 1;
  }
  std::printf("%s: OK (%zu API(s))\n", path.c_str(), (*snapshot)->apis.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(main_help, stderr);
    return 2;
  }
  const std::string_view command = args.front();
  args.erase(args.begin());
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(main_help, stdout);
    return 0;
  }
  if (command == "version" || command == "--version") {
    if (wants_help(args)) {
      std::fputs(version_help, stdout);
      return 0;
    }
    std::printf("gatehouse %s\n", GATEHOUSE_VERSION);
    return 0;
  }
  if (command == "hash-password") return gatehouse::cli::hash_password_command(args);
  if (command == "api-key") return gatehouse::cli::api_key_command(args);
  if (command == "run" || command == "validate") {
    const char* help = command == "run" ? run_help : validate_help;
    if (wants_help(args)) {
      std::fputs(help, stdout);
      return 0;
    }
    const std::string path = config_argument(args, help);
    if (path.empty()) return 2;
    if (command == "validate") return validate(path);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    return gatehouse::server::run_gateway(path);
  }
  std::fprintf(stderr, "gatehouse: unknown command '%.*s'\n\n%s", static_cast<int>(command.size()),
               command.data(), main_help);
  return 2;
}
