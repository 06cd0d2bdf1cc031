#include "security/jose/certificate_thumbprint.h"

#include "security/jose/base64url.h"
#include "security/jose/sha256.h"

namespace gatehouse::jose {

std::string certificate_thumbprint(std::string_view der) {
  if (der.empty()) return {};
  return base64url_encode(sha256(der));
}

}  // namespace gatehouse::jose
