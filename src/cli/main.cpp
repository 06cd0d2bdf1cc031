// gatehouse: the command line. `run` serves, `validate` checks a config without starting
// anything, `version` prints the version; `hash-password`, `api-key`, `oauth2 ...` and
// `applications ...` make credentials and what they are for (cli/key_commands.h).
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/key_commands.h"
#include "cli/options.h"
#include "config/loader.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "server/gateway.h"
#include "snapshot/snapshot.h"
#include "throttling/runtime.h"

namespace {

using gatehouse::cli::read_options;
using gatehouse::cli::wants_help;

constexpr const char* main_help = R"(gatehouse - an API gateway

Usage:
  gatehouse run -c FILE        serve the APIs configured in FILE
  gatehouse validate -c FILE   check FILE and report every error as FILE:LINE:COL: message
  gatehouse version            print the version
  gatehouse hash-password      read a password on stdin, print its Argon2id hash for users:
  gatehouse api-key -c FILE --application ID
                               issue an API key for an application of FILE
  gatehouse oauth2 rotate-key --admin URL
                               rotate the signing key of a running gateway's oauth2_server
  gatehouse oauth2 generate-keys --admin URL --application ID
                               make an application's consumer key and secret
  gatehouse applications create --admin URL --name NAME
                               make an application in a running gateway (also list, show,
                               delete)
  gatehouse COMMAND --help     help for one command
)";

constexpr const char* run_help = R"(Usage: gatehouse run -c FILE [--ports-file PATH]

Serves the APIs configured in FILE (YAML, see docs/config.md).
  -c, --config FILE   the configuration file (required)
  --ports-file PATH   once every listener is bound and the gateway serves, write where they
                      listen to PATH as JSON: {"listeners": {"http": "127.0.0.1:8280"},
                      "admin": "127.0.0.1:9443"}. Port 0 in FILE binds a free port; this file
                      (and the log's "listening on" lines) tell which one. Removed at exit.

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

struct Arguments {
  std::string config;
  std::string ports_file;  // `run` only
};

// Reads -c/--config (required) and, for `run`, --ports-file; on a usage error, prints it with
// `help` on stderr and returns nothing.
std::optional<Arguments> parse_arguments(const std::vector<std::string_view>& args,
                                         const char* help, bool takes_ports_file) {
  Arguments parsed;
  const auto usage = [&](const std::string& message) {
    std::fprintf(stderr, "gatehouse: %s\n\n%s", message.c_str(), help);
    return std::nullopt;
  };
  const auto options = takes_ports_file ? read_options(args, {"-c", "--config", "--ports-file"})
                                        : read_options(args, {"-c", "--config"});
  if (!options) return usage(options.error());
  for (const auto& [name, value] : *options) {
    if (value.empty()) return usage(std::string(name) + " needs a value");
    (name == "--ports-file" ? parsed.ports_file : parsed.config) = std::string(value);
  }
  if (parsed.config.empty()) return usage("a config file is required (-c FILE)");
  return parsed;
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
  gatehouse::security::Runtime runtime;
  gatehouse::throttling::Runtime throttling;
  auto snapshot = gatehouse::snapshot::compile_snapshot(std::move(*config), metrics, nullptr,
                                                        runtime, throttling);
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
  if (command == "oauth2") return gatehouse::cli::oauth2_command(args);
  if (command == "applications") return gatehouse::cli::applications_command(args);
  if (command == "run" || command == "validate") {
    const char* help = command == "run" ? run_help : validate_help;
    if (wants_help(args)) {
      std::fputs(help, stdout);
      return 0;
    }
    const auto arguments = parse_arguments(args, help, command == "run");
    if (!arguments) return 2;
    if (command == "validate") return validate(arguments->config);
    gatehouse::observability::log::use_run_format();
    return gatehouse::server::run_gateway(arguments->config, arguments->ports_file);
  }
  std::fprintf(stderr, "gatehouse: unknown command '%.*s'\n\n%s", static_cast<int>(command.size()),
               command.data(), main_help);
  return 2;
}
