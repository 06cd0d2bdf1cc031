#include "http/message.h"

#include <algorithm>

namespace gatehouse::http {

namespace {
inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
}  // namespace

bool iequals_same_length(const char* a, const char* b, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (a[i] != b[i] && lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const Header* find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

void HeaderEdits::set(std::string name, std::string value) {
  std::erase_if(add, [&](const auto& header) { return iequals(header.first, name); });
  if (!removes(name)) remove.push_back(name);
  add.emplace_back(std::move(name), std::move(value));
}

bool HeaderEdits::removes(std::string_view name) const {
  return std::any_of(remove.begin(), remove.end(),
                     [&](const std::string& r) { return iequals(r, name); });
}

}  // namespace gatehouse::http
