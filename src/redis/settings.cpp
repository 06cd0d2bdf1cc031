#include "redis/settings.h"

namespace gatehouse::redis {

std::string to_string(const Address& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  std::string text;
  if (ipv6) text += '[';
  text += address.host;
  if (ipv6) text += ']';
  text += ':';
  text += std::to_string(address.port);
  return text;
}

}  // namespace gatehouse::redis
