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

std::expected<Config, ConfigErrors> load_file(const std::string& path);

// `filename` names the text in errors, and relative file paths in the text (TLS certificates,
// CA files, the access log) are taken relative to its directory.
std::expected<Config, ConfigErrors> load_string(std::string_view yaml, const std::string& filename);

}  // namespace gatehouse::config
