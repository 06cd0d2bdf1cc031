// The commands that make credentials: `hash-password` (a users: entry's password_hash), `api-key`
// (an API key for one of the configured applications) and `oauth2 rotate-key` (a new signing key
// for a running gateway's key manager, through its admin listener). Each takes the arguments
// after its name, answers --help itself, and returns the exit code (2: usage).
#pragma once

#include <string_view>
#include <vector>

namespace gatehouse::cli {

int hash_password_command(const std::vector<std::string_view>& args);
int api_key_command(const std::vector<std::string_view>& args);
int oauth2_command(const std::vector<std::string_view>& args);

}  // namespace gatehouse::cli
