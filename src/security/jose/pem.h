// Keys from PEM: a private key (PKCS#8 or traditional; RSA, EC or Ed25519/Ed448) to sign with,
// and a public key ("PUBLIC KEY") or an X.509 certificate's key to verify with. Encrypted keys
// are refused rather than prompting for a passphrase.
#pragma once

#include <string>
#include <string_view>

#include "security/jose/error.h"
#include "security/jose/key.h"

namespace gatehouse::jose {

inline constexpr size_t max_pem_bytes = 1 << 20;

Result<Key> load_private_key_pem(std::string_view pem);
Result<Key> load_public_key_pem(std::string_view pem);  // PUBLIC KEY or CERTIFICATE
Result<Key> load_private_key_file(const std::string& path);
Result<Key> load_public_key_file(const std::string& path);

}  // namespace gatehouse::jose
