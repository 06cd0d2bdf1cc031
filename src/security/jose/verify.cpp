#include "security/jose/verify.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <array>

#include "security/jose/ecdsa_signature.h"
#include "security/jose/openssl.h"

namespace gatehouse::jose {

namespace {

Curve curve_of(Alg alg) {
  switch (alg) {
    case Alg::ES256:
      return Curve::p256;
    case Alg::ES384:
      return Curve::p384;
    case Alg::ES512:
      return Curve::p521;
    default:
      return Curve::none;
  }
}

Result<void> verify_hmac(Alg alg, std::string_view input, std::string_view signature,
                         const Key& key) {
  if (key.secret().size() < hash_size(alg)) return std::unexpected(Error::weak_key);
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(ossl::digest(alg), key.secret().data(), static_cast<int>(key.secret().size()),
           ossl::bytes(input), input.size(), mac, &mac_size) == nullptr) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  // The length is public (it is the alg's); the bytes are compared in constant time.
  if (signature.size() != mac_size || CRYPTO_memcmp(mac, signature.data(), mac_size) != 0) {
    return std::unexpected(Error::bad_signature);
  }
  return {};
}

// A context set up for verifying with `key` and `alg`, or null.
ossl::MdCtx set_up_verification(const Key& key, Alg alg) {
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pkey_ctx, ossl::digest(alg), nullptr, key.evp()) != 1) {
    return nullptr;
  }
  if (family(alg) == AlgFamily::rsa_pss &&
      (EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return nullptr;
  }
  return ctx;
}

// Setting a verification up (EVP_DigestVerifyInit: fetching the algorithms, binding the key) is
// more than a third of an RS256 verification's time. So each thread keeps the set-up contexts of
// the last few keys and algs it verified with, and each verification works on a copy of one.
// Per thread, so that no context is read by two threads at once. A context holds a reference to
// its key: a cached key's address is never reused by another key.
class SetUpVerifications {
 public:
  ossl::MdCtx copy_for(const Key& key, Alg alg) {
    Entry* entry = find(key.evp(), alg);
    if (entry == nullptr) {
      ossl::MdCtx set_up = set_up_verification(key, alg);
      if (!set_up) return nullptr;
      entry = &entries_[next_];
      next_ = (next_ + 1) % entries_.size();
      *entry = Entry{key.evp(), alg, std::move(set_up)};
    }
    ossl::MdCtx copy(EVP_MD_CTX_new());
    if (copy && EVP_MD_CTX_copy_ex(copy.get(), entry->set_up.get()) == 1) return copy;
    ossl::clear_errors();  // a context OpenSSL cannot copy: set one up afresh
    return set_up_verification(key, alg);
  }

 private:
  struct Entry {
    const EVP_PKEY* key = nullptr;
    Alg alg = Alg::RS256;  // meaningless while key is null (an empty entry)
    ossl::MdCtx set_up;
  };

  Entry* find(const EVP_PKEY* key, Alg alg) {
    for (Entry& entry : entries_) {
      if (entry.key == key && entry.alg == alg) return &entry;
    }
    return nullptr;
  }

  std::array<Entry, 8> entries_;
  size_t next_ = 0;  // the entry replaced next
};

// RS, PS, ES and EdDSA: one EVP_DigestVerify call over the whole input.
Result<void> verify_asymmetric(Alg alg, std::string_view input, std::string_view signature,
                               const Key& key) {
  std::string der;
  if (family(alg) == AlgFamily::ecdsa) {
    Result<std::string> converted = ecdsa_raw_to_der(signature, coordinate_size(key.curve()));
    if (!converted) return std::unexpected(converted.error());
    der = std::move(*converted);
    signature = der;
  }
  thread_local SetUpVerifications set_up_verifications;
  const ossl::MdCtx ctx = set_up_verifications.copy_for(key, alg);
  if (!ctx) {
    ossl::clear_errors();
    return std::unexpected(Error::crypto_failure);
  }
  const int verified = EVP_DigestVerify(ctx.get(), ossl::bytes(signature), signature.size(),
                                        ossl::bytes(input), input.size());
  if (verified != 1) {
    ossl::clear_errors();
    return std::unexpected(Error::bad_signature);
  }
  return {};
}

}  // namespace

Result<void> check_key_fits(const Key& key, Alg alg) {
  bool fits = false;
  switch (family(alg)) {
    case AlgFamily::rsa_pkcs1:
    case AlgFamily::rsa_pss:
      fits = key.type() == KeyType::rsa;
      break;
    case AlgFamily::ecdsa:
      fits = key.type() == KeyType::ec && key.curve() == curve_of(alg);
      break;
    case AlgFamily::eddsa:
      fits = key.type() == KeyType::okp;
      break;
    case AlgFamily::hmac:
      fits = key.type() == KeyType::oct;
      break;
  }
  if (!fits) return std::unexpected(Error::key_type_mismatch);
  if (key.alg && *key.alg != alg) return std::unexpected(Error::key_alg_mismatch);
  return {};
}

Result<void> verify_signature(Alg alg, std::string_view signing_input, std::string_view signature,
                              const Key& key) {
  if (auto fits = check_key_fits(key, alg); !fits) return fits;
  if (family(alg) == AlgFamily::hmac) return verify_hmac(alg, signing_input, signature, key);
  return verify_asymmetric(alg, signing_input, signature, key);
}

Result<const Key*> verify(const Jws& jws, const KeySet& keys) {
  const Key* key = nullptr;
  if (!jws.kid().empty()) {
    key = keys.find(jws.kid());
  } else if (keys.keys().size() == 1) {
    // Without a kid, trying every key would multiply the cost of a forged token by the set's size.
    key = &keys.keys().front();
  }
  if (key == nullptr) return std::unexpected(Error::unknown_kid);
  if (auto verified = verify_signature(jws, *key); !verified)
    return std::unexpected(verified.error());
  return key;
}

}  // namespace gatehouse::jose
