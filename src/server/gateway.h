// The process: loads and compiles the config, starts the workers and the admin listener, and runs
// the control thread: reloads on SIGHUP or a change of the config file (keeping the last good
// snapshot when the new config is invalid), and a graceful shutdown on SIGTERM or SIGINT.
#pragma once

#include <string>

namespace gatehouse::server {

// Runs until shut down; returns the process exit code. With a `ports_file` path, writes where
// the listeners are bound there once it serves (server/ports_file.h).
int run_gateway(const std::string& config_path, const std::string& ports_file = {});

}  // namespace gatehouse::server
