#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <optional>
#include <string>

#include "cli/admin_call.h"
#include "cli/key_commands.h"
#include "cli/options.h"

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

constexpr const char* oauth2_help = R"(Usage: gatehouse oauth2 COMMAND --admin URL [options]

Acts on the built-in key manager (oauth2_server) of the gateway whose admin listener is at URL,
and prints the admin listener's JSON answer.

  rotate-key          a new signing key signs every token from now on; the previous ones stay
                      in the JWKS until their tokens have expired. Prints {"kid", "jwks"}.
  generate-keys --application ID [--key-type PRODUCTION|SANDBOX]
                      makes the application's consumer key and secret for that key type
                      (default PRODUCTION). The secret is printed this once. Also:
                        --grant-type TYPE    a grant it may use (repeatable; default
                                             client_credentials)
                        --scope SCOPE        a scope it may be granted (repeatable)
                        --callback-url URL   a redirect URI, for authorization_code (repeatable)
                        --validity SECONDS   its access tokens' lifetime
                        --refresh-validity SECONDS   its refresh tokens' lifetime
                        --token-type JWT|OPAQUE      its access tokens' format (default JWT)
  update-keys --application ID [--key-type PRODUCTION|SANDBOX]
                      replaces the settings of that key with generate-keys' options (what is
                      left out takes its default); its consumer key and secret stay.
  regenerate-secret --application ID [--key-type PRODUCTION|SANDBOX]
                      a new secret for that key; the old one fails from now on.

Options of every command:
)";

int oauth2_usage(const std::string& message) {
  return admin_command_usage(oauth2_help, message);
}

// What generate-keys, update-keys and regenerate-secret name, and the body the first two send.
struct KeyArguments {
  std::string application;
  std::string key_type = "PRODUCTION";
  json::object body;
};

std::optional<std::string> read_seconds(std::string_view value, std::string_view name,
                                        json::object& body, std::string_view member) {
  int64_t seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc() || end != value.data() + value.size()) {
    return std::string(name) + " takes a number of seconds, not '" + std::string(value) + "'";
  }
  body[member] = seconds;
  return std::nullopt;
}

void append(json::object& body, std::string_view member, std::string_view value) {
  json::value& list = body[member];
  if (!list.is_array()) list = json::array();
  list.get_array().emplace_back(value);
}

// One option of a key command into `out`; the message for the usage text when it is not one of
// its options (`sends_settings`: whether the body options are).
std::optional<std::string> read_key_option(const Option& option, bool sends_settings,
                                           KeyArguments& out) {
  const std::string_view name = option.name;
  if (name == "--application") {
    out.application = option.value;
  } else if (name == "--key-type") {
    if (option.value != "PRODUCTION" && option.value != "SANDBOX") {
      return "--key-type is PRODUCTION or SANDBOX, not '" + std::string(option.value) + "'";
    }
    out.key_type = option.value;
  } else if (!sends_settings) {
    return "regenerate-secret takes no " + std::string(name);
  } else if (name == "--grant-type") {
    append(out.body, "grantTypesToBeSupported", option.value);
  } else if (name == "--scope") {
    append(out.body, "scopes", option.value);
  } else if (name == "--callback-url") {
    append(out.body, "callbackUrls", option.value);
  } else if (name == "--validity" || name == "--refresh-validity") {
    return read_seconds(option.value, name, out.body,
                        name == "--validity" ? "validityTime" : "refreshTokenValidityTime");
  } else if (name == "--token-type") {
    if (option.value != "JWT" && option.value != "OPAQUE") {
      return "--token-type is JWT or OPAQUE, not '" + std::string(option.value) + "'";
    }
    out.body["tokenType"] = option.value;
  }
  return std::nullopt;
}

int run_oauth2(std::string_view command, const std::vector<std::string_view>& args) {
  const bool rotates = command == "rotate-key";
  const bool generates = command == "generate-keys";
  const bool updates = command == "update-keys";
  if (!rotates && !generates && !updates && command != "regenerate-secret") {
    return oauth2_usage("unknown oauth2 command '" + std::string(command) + "'");
  }
  const auto options = read_options(
      args, {"--admin", "--user", "--ca-file", "--application", "--key-type", "--grant-type",
             "--scope", "--callback-url", "--validity", "--refresh-validity", "--token-type"});
  if (!options) return oauth2_usage(options.error());
  AdminTarget target;
  KeyArguments key;
  for (const Option& option : *options) {
    if (read_admin_option(option.name, option.value, target)) continue;
    if (rotates) return oauth2_usage("rotate-key takes no " + std::string(option.name));
    if (auto problem = read_key_option(option, generates || updates, key)) {
      return oauth2_usage(*problem);
    }
  }
  if (auto problem = check_admin_target(target)) return oauth2_usage(*problem);
  if (rotates) return call_admin(target, "POST", "/oauth2/keys/rotate");
  if (key.application.empty())
    return oauth2_usage("the application is required (--application ID)");
  const std::string path = application_path(key.application) + "/keys/" + key.key_type;
  if (updates) return call_admin(target, "PUT", path, json::serialize(key.body));
  if (generates) return call_admin(target, "POST", path + "/generate", json::serialize(key.body));
  return call_admin(target, "POST", path + "/regenerate-secret");
}

}  // namespace

int oauth2_command(const std::vector<std::string_view>& args) {
  return run_admin_command_group(args, oauth2_help, "an oauth2 command", &run_oauth2);
}

}  // namespace gatehouse::cli
