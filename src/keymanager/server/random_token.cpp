#include "keymanager/server/random_token.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

#include "security/jose/base64url.h"

namespace gatehouse::keymanager {

std::string random_token(size_t bytes) {
  std::vector<uint8_t> random(bytes);
  // RAND_bytes fails only when OpenSSL cannot seed itself from the system: handing out a
  // predictable secret instead would be worse than stopping.
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) std::abort();
  return jose::base64url_encode(random);
}

}  // namespace gatehouse::keymanager
