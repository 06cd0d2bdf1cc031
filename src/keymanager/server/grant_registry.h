// The grant types the token endpoint offers, by grant_type; also what the discovery document
// lists as grant_types_supported.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "keymanager/server/grant.h"

namespace gatehouse::keymanager {

class GrantRegistry {
 public:
  // Every grant of grant_registry.cpp's list.
  static GrantRegistry builtin();

  explicit GrantRegistry(std::vector<std::unique_ptr<const Grant>> grants)
      : grants_(std::move(grants)) {}

  // nullptr for a grant type this key manager does not have.
  const Grant* find(std::string_view type) const;
  std::vector<std::string_view> types() const;

 private:
  std::vector<std::unique_ptr<const Grant>> grants_;
};

}  // namespace gatehouse::keymanager
