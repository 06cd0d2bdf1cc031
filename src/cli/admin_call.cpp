#include "cli/admin_call.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/options.h"
#include "outbound/fetch.h"
#include "outbound/form.h"

namespace gatehouse::cli {
namespace {

// The Authorization header: Basic for --user (its password on standard input), else Bearer of
// GATEHOUSE_ADMIN_TOKEN; nullopt when the password cannot be read.
std::optional<std::string> admin_authorization(const AdminTarget& target) {
  if (!target.user.empty()) {
    std::string password;
    if (!std::getline(std::cin, password) || password.empty()) return std::nullopt;
    if (password.ends_with('\r')) password.pop_back();
    return outbound::basic_authorization(target.user, password);
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

}  // namespace

const char* const admin_options_help =
    R"(  --admin URL      the admin listener, like http://127.0.0.1:9901 or https://gw1.internal:9443
                   (required)
  --user NAME      authenticate as the admin user NAME, whose password is read on standard input
  --ca-file FILE   the CA that signed an https admin listener's certificate (default: the
                   system's trust store)
With no --user, the bearer token in the environment variable GATEHOUSE_ADMIN_TOKEN is sent, if
set: a token on the command line would show in the process list.
)";

bool read_admin_option(std::string_view name, std::string_view value, AdminTarget& target) {
  std::string* field = name == "--admin"     ? &target.admin
                       : name == "--user"    ? &target.user
                       : name == "--ca-file" ? &target.ca_file
                                             : nullptr;
  if (field != nullptr) *field = value;
  return field != nullptr;
}

std::optional<std::string> check_admin_target(const AdminTarget& target) {
  if (target.admin.empty()) return "the admin listener's URL is required (--admin URL)";
  if (!target.admin.starts_with("http://") && !target.admin.starts_with("https://")) {
    return "--admin must be an http or https URL, not '" + target.admin + "'";
  }
  return std::nullopt;
}

int call_admin(const AdminTarget& target, std::string_view method, std::string_view path,
               std::string body) {
  const auto authorization = admin_authorization(target);
  if (!authorization) {
    std::fputs("gatehouse: no password on standard input\n", stderr);
    return 1;
  }
  const auto tls = outbound::make_client_tls({.ca_file = target.ca_file});
  if (!tls) {
    std::fprintf(stderr, "gatehouse: %s\n", tls.error().c_str());
    return 1;
  }
  std::string url = target.admin;
  while (url.ends_with('/')) url.pop_back();
  outbound::Request request{.method = std::string(method), .url = url + std::string(path)};
  request.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
  }
  if (!authorization->empty()) request.headers.emplace_back("Authorization", *authorization);
  const auto response = send(request, *tls);
  if (!response) {
    std::fprintf(stderr, "gatehouse: %s: %s\n", request.url.c_str(),
                 response.error().describe().c_str());
    return 1;
  }
  if (response->status < 200 || response->status > 299) {
    std::fprintf(stderr, "gatehouse: %s: HTTP %d %s\n", request.url.c_str(), response->status,
                 response->body.c_str());
    return 1;
  }
  std::printf("%s\n", response->body.c_str());
  return 0;
}

void print_admin_command_help(const char* help, FILE* to) {
  std::fputs(help, to);
  std::fputs(admin_options_help, to);
}

int admin_command_usage(const char* help, const std::string& message) {
  std::fprintf(stderr, "gatehouse: %s\n\n", message.c_str());
  print_admin_command_help(help, stderr);
  return 2;
}

int run_admin_command_group(const std::vector<std::string_view>& args, const char* help,
                            std::string_view missing, AdminCommand run) {
  if (args.empty()) return admin_command_usage(help, std::string(missing) + " is required");
  const std::vector<std::string_view> rest(args.begin() + 1, args.end());
  if (args.front() == "-h" || args.front() == "--help" || wants_help(rest)) {
    print_admin_command_help(help, stdout);
    return 0;
  }
  return run(args.front(), rest);
}

std::string application_path(std::string_view id) {
  return "/applications/" + boost::urls::encode(id, boost::urls::pchars);
}

}  // namespace gatehouse::cli
