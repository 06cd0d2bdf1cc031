// The options of a `gatehouse` command: each a name that takes a value, given as `--name value`
// or `--name=value` (also `-c value`), in the order given; a name may repeat.
#pragma once

#include <expected>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::cli {

struct Option {
  std::string_view name;  // as `names` spells it, without any `=value`
  std::string_view value;
};

// Whether any argument is -h or --help.
bool wants_help(const std::vector<std::string_view>& args);

// The options of `args`, or the message for the usage text: an argument not in `names`, or a
// name without its value.
std::expected<std::vector<Option>, std::string> read_options(
    const std::vector<std::string_view>& args, std::initializer_list<std::string_view> names);

}  // namespace gatehouse::cli
