#include "routing/method_table.h"

#include <algorithm>

namespace gatehouse::routing {
namespace {

constexpr size_t kGet = 0;
constexpr size_t kHead = 1;
constexpr size_t kNotStandard = kStandardMethods.size();

size_t standard_index(std::string_view method) {
  auto found = std::find(kStandardMethods.begin(), kStandardMethods.end(), method);
  return static_cast<size_t>(found - kStandardMethods.begin());
}

}  // namespace

uint32_t MethodTable::add(std::string_view method, uint32_t route) {
  uint32_t* slot = nullptr;
  if (method == "*") {
    slot = &any_;
  } else if (size_t index = standard_index(method); index != kNotStandard) {
    slot = &standard_[index];
  } else {
    auto found = std::find_if(others_.begin(), others_.end(),
                              [&](const auto& entry) { return entry.first == method; });
    if (found == others_.end()) {
      others_.emplace_back(std::string(method), route);
      return kNoRoute;
    }
    slot = &found->second;
  }
  if (*slot != kNoRoute) return *slot;
  *slot = route;
  return kNoRoute;
}

void MethodTable::serve_head_by_get() {
  if (standard_[kHead] == kNoRoute) standard_[kHead] = standard_[kGet];
}

uint32_t MethodTable::find(std::string_view method) const {
  if (size_t index = standard_index(method); index != kNotStandard) {
    if (standard_[index] != kNoRoute) return standard_[index];
  } else {
    for (const auto& [name, route] : others_) {
      if (name == method) return route;
    }
  }
  return any_;
}

uint32_t MethodTable::some_route() const {
  for (uint32_t route : standard_) {
    if (route != kNoRoute) return route;
  }
  if (!others_.empty()) return others_.front().second;
  return any_;
}

void MethodTable::add_to(AllowedMethods& allowed) const {
  for (size_t i = 0; i < standard_.size(); ++i) {
    allowed.standard_[i] = allowed.standard_[i] || standard_[i] != kNoRoute;
  }
  for (const auto& entry : others_) {
    const std::string& name = entry.first;
    if (std::find(allowed.others_.begin(), allowed.others_.end(), name) == allowed.others_.end()) {
      allowed.others_.push_back(name);
    }
  }
}

std::string AllowedMethods::to_header_value() const {
  std::vector<std::string_view> names;
  for (size_t i = 0; i < standard_.size(); ++i) {
    if (standard_[i]) names.push_back(kStandardMethods[i]);
  }
  std::vector<std::string_view> others = others_;
  std::sort(others.begin(), others.end());
  names.insert(names.end(), others.begin(), others.end());
  std::string value;
  for (std::string_view name : names) {
    if (!value.empty()) value += ", ";
    value += name;
  }
  return value;
}

}  // namespace gatehouse::routing
