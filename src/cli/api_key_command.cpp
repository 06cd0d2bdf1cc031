#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "cli/key_commands.h"
#include "cli/options.h"
#include "config/loader.h"
#include "security/tokens/application_api_keys.h"

namespace gatehouse::cli {
namespace {

constexpr const char* api_key_help = R"(Usage: gatehouse api-key -c FILE --application ID [options]

Issues an API key (a JWT in WSO2 API Manager's layout, signed with the config's signing_key) for
the application ID of FILE, listing the application's subscriptions, and prints it.
  -c, --config FILE       the configuration file (required)
  --application ID        the application's id (required)
  --key-type TYPE         production (default) or sandbox
  --validity DURATION     how long the key is valid: 30d, 12h, 90m, 3600s (default 365d)
  --ip ADDRESS            a client address or CIDR range the key may be used from (repeatable;
                          none: any)
  --referrer PATTERN      a Referer pattern the key may be used with, like *.example.com/*
                          (repeatable; none: any)
Clients send the key in the `apikey` header (or query parameter, as api_keys: configures).
)";

struct Arguments {
  std::string config;
  std::string application;
  tokens::ApiKeyOptions options;
};

int usage(const std::string& message) {
  std::fprintf(stderr, "gatehouse: %s\n\n%s", message.c_str(), api_key_help);
  return 2;
}

// A positive whole number with one of the units s, m, h, d.
std::optional<std::chrono::seconds> parse_validity(std::string_view text) {
  if (text.size() < 2 || text.size() > 12) return std::nullopt;
  int64_t count = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    count = count * 10 + (c - '0');
  }
  switch (text.back()) {
    case 's':
      return std::chrono::seconds(count);
    case 'm':
      return std::chrono::minutes(count);
    case 'h':
      return std::chrono::hours(count);
    case 'd':
      return std::chrono::days(count);
    default:
      return std::nullopt;
  }
}

// Fills `out`, or returns the usage message.
std::optional<std::string> parse_arguments(const std::vector<std::string_view>& args,
                                           Arguments& out) {
  const auto options = read_options(
      args, {"-c", "--config", "--application", "--key-type", "--validity", "--ip", "--referrer"});
  if (!options) return options.error();
  for (const auto& [name, value] : *options) {
    if (name == "-c" || name == "--config") {
      out.config = value;
    } else if (name == "--application") {
      out.application = value;
    } else if (name == "--key-type") {
      if (value == "production") {
        out.options.key_type = identity::KeyType::production;
      } else if (value == "sandbox") {
        out.options.key_type = identity::KeyType::sandbox;
      } else {
        return "--key-type is production or sandbox, not '" + std::string(value) + "'";
      }
    } else if (name == "--validity") {
      const auto validity = parse_validity(value);
      if (!validity || *validity <= std::chrono::seconds(0)) {
        return "--validity must be a duration like 30d, 12h, 90m or 3600s, not '" +
               std::string(value) + "'";
      }
      out.options.validity = *validity;
    } else if (name == "--ip") {
      out.options.permitted_ips.emplace_back(value);
    } else {
      out.options.permitted_referrers.emplace_back(value);
    }
  }
  if (out.config.empty()) return "a config file is required (-c FILE)";
  if (out.application.empty()) return "an application is required (--application ID)";
  return std::nullopt;
}

}  // namespace

int api_key_command(const std::vector<std::string_view>& args) {
  if (wants_help(args)) {
    std::fputs(api_key_help, stdout);
    return 0;
  }
  Arguments arguments;
  if (auto problem = parse_arguments(args, arguments)) return usage(*problem);

  const auto config = config::load_file(arguments.config);
  if (!config) {
    for (const std::string& line : config.error().report())
      std::fprintf(stderr, "%s\n", line.c_str());
    return 1;
  }
  if (config->security.signing_key_file.empty()) {
    std::fprintf(stderr,
                 "gatehouse: %s has no signing_key: API keys are signed with the gateway's key "
                 "(signing_key: a PEM RSA or EC P-256 private key file)\n",
                 arguments.config.c_str());
    return 1;
  }
  const auto key = tokens::GatewayKey::load(config->security.signing_key_file);
  if (!key) {
    std::fprintf(stderr, "gatehouse: signing_key %s: %s\n",
                 config->security.signing_key_file.c_str(),
                 std::string(jose::to_string(key.error())).c_str());
    return 1;
  }
  const auto api_key = tokens::issue_application_api_key(*config, *key, arguments.application,
                                                         arguments.options, std::time(nullptr));
  if (!api_key) {
    std::fprintf(stderr, "gatehouse: %s: %s\n", arguments.config.c_str(),
                 api_key.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", api_key->api_key.c_str());
  return 0;
}

}  // namespace gatehouse::cli
