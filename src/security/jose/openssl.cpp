#include "security/jose/openssl.h"

namespace gatehouse::jose::ossl {

const EVP_MD* digest(Alg alg) {
  switch (hash_size(alg)) {
    case 32:
      return EVP_sha256();
    case 48:
      return EVP_sha384();
    case 64:
      return EVP_sha512();
    default:
      return nullptr;
  }
}

}  // namespace gatehouse::jose::ossl
