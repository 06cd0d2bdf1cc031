// WSO2's spelling of a key type in API keys and backend JWTs ("keytype": "PRODUCTION").
#pragma once

#include <optional>
#include <string_view>

#include "security/identity/records.h"

namespace gatehouse::tokens {

constexpr std::string_view key_type_label(identity::KeyType type) {
  return type == identity::KeyType::sandbox ? "SANDBOX" : "PRODUCTION";
}

constexpr std::optional<identity::KeyType> parse_key_type_label(std::string_view label) {
  if (label == "PRODUCTION") return identity::KeyType::production;
  if (label == "SANDBOX") return identity::KeyType::sandbox;
  return std::nullopt;
}

}  // namespace gatehouse::tokens
