#include "redis/command.h"

#include <hiredis/hiredis.h>

#include <array>
#include <new>
#include <vector>

namespace gatehouse::redis {

void append_command(std::string& out, std::span<const std::string_view> args) {
  // hiredis takes parallel arrays of pointers and lengths: on the stack for the usual commands.
  constexpr size_t inline_args = 32;
  std::array<const char*, inline_args> inline_argv;
  std::array<size_t, inline_args> inline_lengths;
  std::vector<const char*> more_argv;
  std::vector<size_t> more_lengths;
  const char** argv = inline_argv.data();
  size_t* lengths = inline_lengths.data();
  if (args.size() > inline_args) {
    more_argv.resize(args.size());
    more_lengths.resize(args.size());
    argv = more_argv.data();
    lengths = more_lengths.data();
  }
  for (size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lengths[i] = args[i].size();
  }
  char* formatted = nullptr;
  const int size = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), argv, lengths);
  if (size < 0) throw std::bad_alloc();  // its only failure
  out.append(formatted, static_cast<size_t>(size));
  redisFreeCommand(formatted);
}

}  // namespace gatehouse::redis
