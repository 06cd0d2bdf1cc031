#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <string>

#include "cli/admin_call.h"
#include "cli/key_commands.h"
#include "cli/options.h"

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

constexpr const char* applications_help =
    R"(Usage: gatehouse applications COMMAND --admin URL [options]

Acts on the applications of the gateway whose admin listener is at URL, and prints the admin
listener's JSON answer. Applications made here are kept by the built-in key manager's store
(oauth2_server) across restarts, beside those of the config file.

  create --name NAME [--owner OWNER] [--tier TIER] [--id ID]
                      makes an application: its owner (default admin), its application tier
                      (default Unlimited), its id (default a random UUID). Then make its keys
                      with `gatehouse oauth2 generate-keys --application ID`.
  list                every application, the config file's and those made here.
  show --id ID        one application and its keys.
  delete --id ID      removes an application made here, with its keys and subscriptions: their
                      tokens are refused from then on.

Options of every command:
)";

int applications_usage(const std::string& message) {
  return admin_command_usage(applications_help, message);
}

// The option names each command takes besides the admin target's.
bool takes(std::string_view command, std::string_view option) {
  if (command == "create") {
    return option == "--name" || option == "--owner" || option == "--tier" || option == "--id";
  }
  return option == "--id" && (command == "show" || command == "delete");
}

int run_applications(std::string_view command, const std::vector<std::string_view>& args) {
  if (command != "create" && command != "list" && command != "show" && command != "delete") {
    return applications_usage("unknown applications command '" + std::string(command) + "'");
  }
  const auto options =
      read_options(args, {"--admin", "--user", "--ca-file", "--name", "--owner", "--tier", "--id"});
  if (!options) return applications_usage(options.error());
  AdminTarget target;
  json::object body;
  std::string id;
  for (const Option& option : *options) {
    if (read_admin_option(option.name, option.value, target)) continue;
    if (!takes(command, option.name)) {
      return applications_usage(std::string(command) + " takes no " + std::string(option.name));
    }
    if (option.name == "--id") id = option.value;
    const std::string_view member = option.name == "--name"    ? "name"
                                    : option.name == "--owner" ? "owner"
                                    : option.name == "--tier"  ? "throttlingPolicy"
                                                               : "applicationId";
    body[member] = option.value;
  }
  if (auto problem = check_admin_target(target)) return applications_usage(*problem);
  if (command == "list") return call_admin(target, "GET", "/applications");
  if (command == "create") {
    if (!body.contains("name")) return applications_usage("create needs --name NAME");
    return call_admin(target, "POST", "/applications", json::serialize(body));
  }
  if (id.empty()) return applications_usage(std::string(command) + " needs --id ID");
  return call_admin(target, command == "show" ? "GET" : "DELETE", application_path(id));
}

}  // namespace

int applications_command(const std::vector<std::string_view>& args) {
  return run_admin_command_group(args, applications_help, "an applications command",
                                 &run_applications);
}

}  // namespace gatehouse::cli
