#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "cli/key_commands.h"
#include "cli/options.h"
#include "outbound/fetch.h"
#include "outbound/form.h"

namespace gatehouse::cli {
namespace {

constexpr const char* rotate_key_help = R"(Usage: gatehouse oauth2 rotate-key --admin URL [options]

Rotates the signing key of the built-in key manager (oauth2_server) of the gateway whose admin
listener is at URL: a new key signs every token from now on, the previous ones stay in the JWKS
until their tokens have expired. Prints the admin listener's answer: {"kid": ..., "jwks": ...}.
  --admin URL      the admin listener, like http://127.0.0.1:9901 or https://gw1.internal:9443
                   (required)
  --user NAME      authenticate as the admin user NAME, whose password is read on standard input
  --ca-file FILE   the CA that signed an https admin listener's certificate (default: the
                   system's trust store)
With no --user, the bearer token in the environment variable GATEHOUSE_ADMIN_TOKEN is sent, if
set: a token on the command line would show in the process list.
)";

struct RotateKeyArguments {
  std::string admin;
  std::string user;
  std::string ca_file;
};

int rotate_key_usage(const std::string& message) {
  std::fprintf(stderr, "gatehouse: %s\n\n%s", message.c_str(), rotate_key_help);
  return 2;
}

// Fills `out`, or returns the usage message.
std::optional<std::string> parse_rotate_key_arguments(const std::vector<std::string_view>& args,
                                                      RotateKeyArguments& out) {
  const auto options = read_options(args, {"--admin", "--user", "--ca-file"});
  if (!options) return options.error();
  for (const auto& [name, value] : *options) {
    std::string& target = name == "--admin" ? out.admin : name == "--user" ? out.user : out.ca_file;
    target = value;
  }
  if (out.admin.empty()) return "the admin listener's URL is required (--admin URL)";
  if (!out.admin.starts_with("http://") && !out.admin.starts_with("https://")) {
    return "--admin must be an http or https URL, not '" + out.admin + "'";
  }
  return std::nullopt;
}

// The Authorization header: Basic for --user (its password on standard input), else Bearer of
// GATEHOUSE_ADMIN_TOKEN; nullopt when the password cannot be read.
std::optional<std::string> admin_authorization(const RotateKeyArguments& arguments) {
  if (!arguments.user.empty()) {
    std::string password;
    if (!std::getline(std::cin, password) || password.empty()) return std::nullopt;
    if (password.ends_with('\r')) password.pop_back();
    return outbound::basic_authorization(arguments.user, password);
  }
  const char* token = std::getenv("GATEHOUSE_ADMIN_TOKEN");
  return token != nullptr && *token != '\0' ? "Bearer " + std::string(token) : std::string();
}

// One request, run to its end on an io_context of its own: the command does nothing else.
std::expected<outbound::Response, Error> send(const outbound::Request& request,
                                              const outbound::ClientTls& tls) {
  boost::asio::io_context io;
  std::optional<std::expected<outbound::Response, Error>> answer;
  boost::asio::co_spawn(io, outbound::fetch(request, tls),
                        [&](std::exception_ptr, std::expected<outbound::Response, Error> got) {
                          answer = std::move(got);
                        });
  io.run();
  if (!answer)
    return std::unexpected(Error(ErrorKind::internal, ErrorSource::gateway, "no answer"));
  return std::move(*answer);
}

int rotate_key(const std::vector<std::string_view>& args) {
  RotateKeyArguments arguments;
  if (auto problem = parse_rotate_key_arguments(args, arguments)) return rotate_key_usage(*problem);
  const auto authorization = admin_authorization(arguments);
  if (!authorization) {
    std::fputs("gatehouse: no password on standard input\n", stderr);
    return 1;
  }
  const auto tls = outbound::make_client_tls({.ca_file = arguments.ca_file});
  if (!tls) {
    std::fprintf(stderr, "gatehouse: %s\n", tls.error().c_str());
    return 1;
  }
  std::string url = arguments.admin;
  while (url.ends_with('/')) url.pop_back();
  outbound::Request request{.method = "POST", .url = url + "/oauth2/keys/rotate"};
  request.headers.emplace_back("Accept", "application/json");
  if (!authorization->empty()) request.headers.emplace_back("Authorization", *authorization);
  const auto response = send(request, *tls);
  if (!response) {
    std::fprintf(stderr, "gatehouse: %s: %s\n", request.url.c_str(),
                 response.error().describe().c_str());
    return 1;
  }
  if (response->status != 200) {
    std::fprintf(stderr, "gatehouse: %s: HTTP %d %s\n", request.url.c_str(), response->status,
                 response->body.c_str());
    return 1;
  }
  std::printf("%s\n", response->body.c_str());
  return 0;
}

}  // namespace

int oauth2_command(const std::vector<std::string_view>& args) {
  if (!args.empty() && (args.front() == "-h" || args.front() == "--help")) {
    std::fputs(rotate_key_help, stdout);
    return 0;
  }
  if (args.empty() || args.front() != "rotate-key") {
    if (!args.empty()) {
      std::fprintf(stderr, "gatehouse: unknown oauth2 command '%.*s'\n\n",
                   static_cast<int>(args.front().size()), args.front().data());
    }
    std::fputs(rotate_key_help, stderr);
    return 2;
  }
  const std::vector<std::string_view> rest(args.begin() + 1, args.end());
  if (wants_help(rest)) {
    std::fputs(rotate_key_help, stdout);
    return 0;
  }
  return rotate_key(rest);
}

}  // namespace gatehouse::cli
