#include "security/jose/pem.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <iterator>

#include "security/jose/openssl.h"

namespace gatehouse::jose {

namespace {

using Bio = std::unique_ptr<BIO, ossl::Deleter<BIO_free>>;
using Certificate = std::unique_ptr<X509, ossl::Deleter<X509_free>>;

// Never asks a terminal for a passphrase.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

Bio memory_bio(std::string_view pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::unexpected(Error::io_error);
  std::string text;
  char chunk[4096];
  while (file.read(chunk, sizeof chunk) || file.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(file.gcount()));
    if (text.size() > max_pem_bytes) return std::unexpected(Error::too_large);
  }
  if (file.bad()) return std::unexpected(Error::io_error);
  return text;
}

Result<Key> adopt_or_fail(EVP_PKEY* pkey, bool is_private) {
  ossl::clear_errors();
  if (pkey == nullptr) return std::unexpected(Error::bad_key);
  return Key::adopt(pkey, is_private);
}

}  // namespace

Result<Key> load_private_key_pem(std::string_view pem) {
  if (pem.size() > max_pem_bytes) return std::unexpected(Error::too_large);
  const Bio bio = memory_bio(pem);
  if (!bio) return std::unexpected(Error::crypto_failure);
  return adopt_or_fail(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr), true);
}

Result<Key> load_public_key_pem(std::string_view pem) {
  if (pem.size() > max_pem_bytes) return std::unexpected(Error::too_large);
  const Bio bio = memory_bio(pem);
  if (!bio) return std::unexpected(Error::crypto_failure);
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    const Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    if (!certificate) return adopt_or_fail(nullptr, false);
    return adopt_or_fail(X509_get_pubkey(certificate.get()), false);
  }
  return adopt_or_fail(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr), false);
}

Result<Key> load_private_key_file(const std::string& path) {
  const Result<std::string> pem = read_file(path);
  if (!pem) return std::unexpected(pem.error());
  return load_private_key_pem(*pem);
}

Result<Key> load_public_key_file(const std::string& path) {
  const Result<std::string> pem = read_file(path);
  if (!pem) return std::unexpected(pem.error());
  return load_public_key_pem(*pem);
}

}  // namespace gatehouse::jose
