// Request paths the gateway refuses to route: a dot-segment (plain or percent-encoded) could
// reach a resource other than the one whose policies were applied once the backend normalises it.
#pragma once

#include <optional>
#include <string_view>

#include "core/api_error.h"

namespace gatehouse::proxy {

std::optional<ApiError> check_path(std::string_view path);

}  // namespace gatehouse::proxy
