#include "redis/errors.h"

namespace gatehouse::redis {

Error failure(ErrorKind kind, const Address& server, std::string why) {
  return failure(kind, "redis " + to_string(server), std::move(why));
}

Error failure(ErrorKind kind, std::string cause, std::string why) {
  return Error(kind, ErrorSource::gateway, std::move(cause), std::move(why));
}

}  // namespace gatehouse::redis
