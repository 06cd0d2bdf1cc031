#include "observability/log.h"

#include <spdlog/spdlog.h>

#include <iterator>

namespace gatehouse::observability::log {

void use_run_format() {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
}

void write(Level level, fmt::string_view format, fmt::format_args args) {
  const spdlog::level::level_enum spdlog_level = level == Level::info   ? spdlog::level::info
                                                 : level == Level::warn ? spdlog::level::warn
                                                                        : spdlog::level::err;
  spdlog::logger& logger = *spdlog::default_logger_raw();
  if (!logger.should_log(spdlog_level)) return;
  fmt::memory_buffer line;
  fmt::vformat_to(std::back_inserter(line), format, args);
  logger.log(spdlog_level, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace gatehouse::observability::log
