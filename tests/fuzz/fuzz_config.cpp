// libFuzzer target: a config file's text through what `gatehouse validate` (and every reload) does
// with it: config::load_string, then compile_snapshot without health checks or revocations.
// Input: the YAML text. Errors are expected; a crash, a hang, or an error that does not point
// into the file is not.
//
// Checked: every error is `file:line:col` inside the text (lines from 1 to one past the last, a
// column from 1) with a message, listed in the order of the file; and loading the same text again
// gives the same verdict and the same errors.
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "config/loader.h"
#include "fuzz_require.h"
#include "observability/metrics.h"
#include "snapshot/snapshot.h"
#include "throttling/runtime.h"

using namespace gatehouse;

namespace {

using gatehouse::fuzz::require;

// Relative paths in the text resolve against the file's directory: an empty one of our own.
const std::string& config_file() {
  static const std::string file = [] {
    char pattern[] = "/tmp/gatehouse-fuzz-config-XXXXXX";
    require(mkdtemp(pattern) != nullptr, "a temporary directory");
    return std::string(pattern) + "/gatehouse.yaml";
  }();
  return file;
}

void check_errors(const config::ConfigErrors& errors, std::string_view text) {
  require(!errors.empty(), "a refusal says why");
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  std::pair<int, int> previous{0, 0};
  for (const config::ConfigError& error : errors) {
    require(error.location.file == config_file(), "an error names the file");
    require(error.location.line >= 1 && error.location.line <= lines + 1,
            "an error's line is in the file");
    require(error.location.column >= 1, "an error has a column");
    require(!error.message.empty(), "an error has a message");
    const std::pair<int, int> at{error.location.line, error.location.column};
    require(previous <= at, "errors are listed in the order of the file");
    previous = at;
  }
}

// The errors as `gatehouse validate` prints them; empty when the config is valid.
std::string validate(std::string_view text) {
  auto config = config::load_string(text, config_file());
  if (!config) {
    check_errors(config.error(), text);
    std::string printed;
    for (const auto& error : config.error()) printed += error.to_string() + "\n";
    return printed;
  }
  observability::Metrics metrics(0, "fuzz");
  security::Runtime runtime;
  throttling::Runtime throttling(16);
  auto snapshot =
      snapshot::compile_snapshot(std::move(*config), metrics, nullptr, runtime, throttling);
  if (snapshot) return {};
  std::string printed;
  for (const auto& error : snapshot.error()) {
    require(error.location.file == config_file(), "a compile error names the file");
    require(!error.message.empty(), "a compile error has a message");
    printed += error.to_string() + "\n";
  }
  require(!printed.empty(), "a refusal says why");
  return printed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string first = validate(text);
  require(validate(text) == first, "the same text gives the same verdict and errors");
  return 0;
}
