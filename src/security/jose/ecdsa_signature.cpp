#include "security/jose/ecdsa_signature.h"

#include "security/jose/openssl.h"

namespace gatehouse::jose {

Result<std::string> ecdsa_raw_to_der(std::string_view raw, size_t coordinate_size) {
  if (coordinate_size == 0 || raw.size() != 2 * coordinate_size) {
    return std::unexpected(Error::bad_signature);
  }
  const int half = static_cast<int>(coordinate_size);
  ossl::Bignum r(BN_bin2bn(ossl::bytes(raw), half, nullptr));
  ossl::Bignum s(BN_bin2bn(ossl::bytes(raw) + half, half, nullptr));
  ossl::EcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return std::unexpected(Error::crypto_failure);
  }
  r.release();  // owned by sig now
  s.release();
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return std::unexpected(Error::crypto_failure);
  std::string der(static_cast<size_t>(length), '\0');
  uint8_t* out = reinterpret_cast<uint8_t*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

Result<std::string> ecdsa_der_to_raw(std::string_view der, size_t coordinate_size) {
  const uint8_t* in = ossl::bytes(der);
  const ossl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
  if (!sig) return std::unexpected(Error::crypto_failure);
  std::string raw(2 * coordinate_size, '\0');
  uint8_t* out = reinterpret_cast<uint8_t*>(raw.data());
  const int half = static_cast<int>(coordinate_size);
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, half) != half ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + half, half) != half) {
    return std::unexpected(Error::crypto_failure);
  }
  return raw;
}

}  // namespace gatehouse::jose
