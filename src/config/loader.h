// Loads a gateway config file (YAML; the format is config/model.h, the reference docs/config.md)
// into a validated Config. All errors of the file are returned together, each located at the
// offending key or value as `file:line:col: message`, in the order they appear in the file.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "config/error.h"
#include "config/model.h"

namespace gatehouse::config {

// A larger file is refused before it is read whole. Loading and compiling a file of many routes
// peaks at about 30 bytes of memory per byte of file (470 MB for 16 MiB: 32,000 APIs of 10
// resources), and a reload holds the new configuration beside the one serving. 16 MiB is ample
// for tens of thousands of APIs or a few hundred thousand subscriptions.
inline constexpr size_t max_config_bytes = 16 * 1024 * 1024;

std::expected<Config, ConfigErrors> load_file(const std::string& path);

// `filename` names the text in errors, and relative file paths in the text (TLS certificates,
// CA files, the access log) are taken relative to its directory.
std::expected<Config, ConfigErrors> load_string(std::string_view yaml, const std::string& filename);

}  // namespace gatehouse::config
