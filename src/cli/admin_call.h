// One call of a running gateway's admin listener, for the commands that act through it
// (`oauth2 rotate-key`, `oauth2 generate-keys`...): where it is, how to authenticate, and the
// call itself, whose answer goes to standard output.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// Sends `method` `path` (a JSON `body`, if not empty) to the admin listener, reading the --user
// password on standard input. Prints a 2xx answer's body on standard output and returns 0;
// prints anything else on standard error and returns 1.
int call_admin(const AdminTarget& target, std::string_view method, std::string_view path,
               std::string body = {});

}  // namespace gatehouse::cli
