// The process log on stderr: start-up, reloads, and what goes wrong outside a request (the
// access log records the requests). Messages are fmt format strings, checked at compile time.
//
// spdlog writes the lines, but only log.cpp includes it: fmt 9 instantiates its whole formatting
// engine (floats included) in every file that formats through spdlog's templates, seconds of
// compile time each. Here a call site only packs its arguments, and log.cpp formats them.
#pragma once

#include <fmt/core.h>

namespace gatehouse::observability::log {

enum class Level { info, warn, error };

// Lines as `gatehouse run` writes them: time with milliseconds and UTC offset, level, message.
void use_run_format();

void write(Level level, fmt::string_view format, fmt::format_args args);

template <class... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::info, format, fmt::make_format_args(args...));
}

template <class... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::warn, format, fmt::make_format_args(args...));
}

template <class... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::error, format, fmt::make_format_args(args...));
}

}  // namespace gatehouse::observability::log
