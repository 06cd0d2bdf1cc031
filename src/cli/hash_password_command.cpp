#include <cstdio>
#include <iostream>
#include <string>

#include "cli/key_commands.h"
#include "security/identity/password_hash.h"

namespace gatehouse::cli {
namespace {

constexpr const char* hash_password_help = R"(Usage: gatehouse hash-password < PASSWORD

Reads one line from standard input (the password, without its line end) and prints its Argon2id
hash (19 MiB, 2 iterations, 1 lane, random salt) for a user's password_hash in the config:
  users:
    - {name: alice, password_hash: "$argon2id$v=19$m=19456,t=2,p=1$...", roles: [reader]}
For example: printf '%s\n' 'the password' | gatehouse hash-password
)";

}  // namespace

int hash_password_command(const std::vector<std::string_view>& args) {
  if (!args.empty()) {
    const bool asks_help = args.front() == "-h" || args.front() == "--help";
    std::fputs(hash_password_help, asks_help ? stdout : stderr);
    return asks_help ? 0 : 2;
  }
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::fputs("gatehouse: no password on standard input\n", stderr);
    return 1;
  }
  if (password.ends_with('\r')) password.pop_back();
  if (password.empty()) {
    std::fputs("gatehouse: the password is empty\n", stderr);
    return 1;
  }
  if (password.size() > identity::max_password_size) {
    std::fprintf(stderr, "gatehouse: the password is longer than %zu bytes\n",
                 identity::max_password_size);
    return 1;
  }
  const auto hash = identity::hash_password_argon2id(password);
  if (!hash) {
    std::fprintf(stderr, "gatehouse: %s\n", hash.error().c_str());
    return 1;
  }
  std::printf("%s\n", hash->c_str());
  return 0;
}

}  // namespace gatehouse::cli
