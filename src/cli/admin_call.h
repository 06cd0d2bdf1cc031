// One call of a running gateway's admin listener, for the commands that act through it
// (`oauth2 rotate-key`, `oauth2 generate-keys`...): where it is, how to authenticate, and the
// call itself, whose answer goes to standard output.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::cli {

struct AdminTarget {
  std::string admin;    // http(s)://host:port
  std::string user;     // empty: the bearer token in GATEHOUSE_ADMIN_TOKEN, if set
  std::string ca_file;  // empty: the system's trust store
};

// The help text's lines for --admin, --user and --ca-file, and the note on the token.
extern const char* const admin_options_help;

// Takes --admin, --user or --ca-file into `target`; false for another option.
bool read_admin_option(std::string_view name, std::string_view value, AdminTarget& target);
// What is wrong with the target as read, for the usage message; nullopt when it is complete.
std::optional<std::string> check_admin_target(const AdminTarget& target);

// A command group that acts through the admin listener (`gatehouse oauth2 ...`, `gatehouse
// applications ...`): its `help`, then admin_options_help; a usage error prints `message` and
// that help on standard error and returns 2.
void print_admin_command_help(const char* help, FILE* to);
int admin_command_usage(const char* help, const std::string& message);
// `gatehouse GROUP COMMAND [options]`, `args` after GROUP: the help for -h or --help, a usage
// error naming `missing` without a COMMAND, else run(COMMAND, its options).
using AdminCommand = int (*)(std::string_view command, const std::vector<std::string_view>& args);
int run_admin_command_group(const std::vector<std::string_view>& args, const char* help,
                            std::string_view missing, AdminCommand run);

// /applications/{id}, the id percent-encoded as one path segment.
std::string application_path(std::string_view id);

// Sends `method` `path` (a JSON `body`, if not empty) to the admin listener, reading the --user
// password on standard input. Prints a 2xx answer's body on standard output and returns 0;
// prints anything else on standard error and returns 1.
int call_admin(const AdminTarget& target, std::string_view method, std::string_view path,
               std::string body = {});

}  // namespace gatehouse::cli
