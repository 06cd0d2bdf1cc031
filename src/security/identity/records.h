// The input records of the identity stores: plain data, as the config loader or a database fills
// them. The stores validate and compile them; nothing here is checked yet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gatehouse::identity {

// Which environment a consumer key belongs to; a subscription may admit one and not the other.
enum class KeyType : uint8_t { production, sandbox };

// WSO2's subscription states.
enum class SubscriptionState : uint8_t {
  unblocked,
  blocked,            // no key type admitted
  prod_only_blocked,  // sandbox keys admitted, production keys not
  on_hold,            // awaiting approval: inactive
  rejected,           // approval refused: inactive
};

struct ApplicationKey {
  std::string key_manager;   // the key manager's configured name
  std::string consumer_key;  // the OAuth2 client id (or API key id) it issued
  KeyType type = KeyType::production;
};

// Empty lists mean no restriction.
struct KeyRestrictions {
  std::vector<std::string> allowed_ips;        // "10.0.0.1", "10.0.0.0/8", "2001:db8::/32"
  std::vector<std::string> allowed_referrers;  // "*.example.com/*", "https://example.com/app/*"
};

struct Application {
  std::string id;  // stable identifier, e.g. a UUID
  std::string name;
  std::string owner;  // the subscriber
  std::string tier;   // the application throttling tier
  std::vector<ApplicationKey> keys;
  KeyRestrictions restrictions;
};

struct Subscription {
  std::string application_id;
  std::string api;  // "Name:Version", e.g. "PizzaShack:1.0.0"
  std::string tier;
  SubscriptionState state = SubscriptionState::unblocked;
};

struct User {
  std::string name;
  std::string password_hash;  // PHC "$argon2id$..." or bcrypt "$2b$..." / "$2y$..." / "$2a$..."
  std::vector<std::string> roles;
};

}  // namespace gatehouse::identity
