// The commands that make credentials: `hash-password` (a users: entry's password_hash), `api-key`
// (an API key for one of the configured applications) and `oauth2` (through a running gateway's
// admin listener, its key manager's new signing key, or an application's consumer key and
// secret); and `applications` (through the admin listener, the applications those keys are made
// for). Each takes the arguments after its name, answers --help itself, and returns the exit
// code (2: usage).
#pragma once

#include <string_view>
#include <vector>

namespace gatehouse::cli {

int hash_password_command(const std::vector<std::string_view>& args);
int api_key_command(const std::vector<std::string_view>& args);
int oauth2_command(const std::vector<std::string_view>& args);
int applications_command(const std::vector<std::string_view>& args);

}  // namespace gatehouse::cli
