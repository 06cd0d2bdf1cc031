// Internal to the JOSE layer: OpenSSL 3 with its deprecated interfaces switched off (so that no
// RSA_* or EC_KEY_* call can creep in), owning handles, and the digest of each alg.
#pragma once

#ifndef OPENSSL_NO_DEPRECATED
#define OPENSSL_NO_DEPRECATED
#endif
#ifndef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 30000
#endif

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "security/jose/alg.h"

namespace gatehouse::jose::ossl {

template <auto free_function>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    free_function(p);
  }
};

using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

// OpenSSL takes bytes as unsigned char.
inline const uint8_t* bytes(std::string_view text) {
  return reinterpret_cast<const uint8_t*>(text.data());
}

// The digest an alg hashes with; nullptr for EdDSA, which hashes inside the signature scheme.
const EVP_MD* digest(Alg alg);

// OpenSSL's error queue is per thread: a refused input must not leave entries that a later,
// unrelated TLS call would report as its own.
inline void clear_errors() {
  ERR_clear_error();
}

}  // namespace gatehouse::jose::ossl
