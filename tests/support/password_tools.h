// Hashes made by independent tools at test time: the `argon2` reference command-line tool and
// Apache's `htpasswd` (its own bcrypt, not libcrypt's). scripts/install-deps installs both.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace gatehouse::identity::test_support {

// The command's standard output without its final newline; empty (and a test failure) if it failed.
inline std::string run_command(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  char buffer[256];
  size_t read;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  if (pclose(pipe) != 0) {
    ADD_FAILURE() << command << " failed (is it installed? see scripts/install-deps)";
    return {};
  }
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

// Passwords given to these helpers contain no single quote.
inline std::string argon2_tool_hash(const std::string& password, const std::string& type = "-id") {
  // -m 12: 4 MiB, cheap enough for unit tests; the salt is the tool's positional argument.
  return run_command("printf '%s' '" + password + "' | argon2 saltsaltsalt " + type +
                     " -t 2 -m 12 -p 1 -e");
}

inline std::string htpasswd_bcrypt_hash(const std::string& password, int cost = 5) {
  std::string line =
      run_command("htpasswd -nbB -C " + std::to_string(cost) + " user '" + password + "'");
  return line.substr(line.find(':') + 1);  // "user:$2y$05$..."
}

}  // namespace gatehouse::identity::test_support
