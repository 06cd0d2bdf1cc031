#include "cli/options.h"

#include <algorithm>

namespace gatehouse::cli {

bool wants_help(const std::vector<std::string_view>& args) {
  return std::ranges::any_of(args, [](std::string_view a) { return a == "-h" || a == "--help"; });
}

std::expected<std::vector<Option>, std::string> read_options(
    const std::vector<std::string_view>& args, std::initializer_list<std::string_view> names) {
  std::vector<Option> options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view name = args[i];
    std::string_view value;
    const size_t equals = name.find('=');
    const bool inline_value = name.starts_with("--") && equals != std::string_view::npos;
    if (inline_value) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    if (std::ranges::find(names, name) == names.end()) {
      return std::unexpected("unexpected argument '" + std::string(args[i]) + "'");
    }
    if (!inline_value) {
      if (i + 1 == args.size()) return std::unexpected(std::string(name) + " needs a value");
      value = args[++i];
    }
    options.push_back({name, value});
  }
  return options;
}

}  // namespace gatehouse::cli
