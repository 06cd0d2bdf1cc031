// The `{name}` segments of a matched path.
#pragma once

#include <string_view>

#include "absl/container/inlined_vector.h"

namespace gatehouse::routing {

struct PathParam {
  std::string_view name;   // points into the router's storage
  std::string_view value;  // points into the matched path, not percent-decoded
};

// Inline room for the parameters of any usual template, so a match does not allocate.
using PathParams = absl::InlinedVector<PathParam, 4>;

}  // namespace gatehouse::routing
