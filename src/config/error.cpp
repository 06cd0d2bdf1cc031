#include "config/error.h"

#include <algorithm>
#include <tuple>

namespace gatehouse::config {
namespace {

bool earlier(const ConfigError& a, const ConfigError& b) {
  return std::tie(a.location.line, a.location.column) <
         std::tie(b.location.line, b.location.column);
}

}  // namespace

void ConfigErrors::push_back(ConfigError error) {
  // After every error kept at the same place, so that errors at one place keep their order.
  const auto index = std::ranges::upper_bound(kept_, error, earlier) - kept_.begin();
  if (kept_.size() == kMaxKept) {
    ++omitted_;
    if (static_cast<size_t>(index) == kept_.size()) return;
    kept_.pop_back();
  }
  kept_.insert(kept_.begin() + index, std::move(error));
}

std::vector<std::string> ConfigErrors::report() const {
  std::vector<std::string> lines;
  lines.reserve(kept_.size() + 1);
  for (const ConfigError& error : kept_) lines.push_back(error.to_string());
  if (omitted_ != 0) {
    std::string summary = kept_.front().location.file;
    summary.append(": ... and ").append(std::to_string(omitted_));
    summary.append(omitted_ == 1 ? " more error" : " more errors");
    summary.append(" (only the first ").append(std::to_string(kMaxKept)).append(" are shown)");
    lines.push_back(std::move(summary));
  }
  return lines;
}

}  // namespace gatehouse::config
