#include "security/identity/credential_cache.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace gatehouse::identity {
namespace {

// Without a working HMAC or randomness the process has no usable crypto at all: a start-up failure,
// never a request-time one.
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "credential cache: %s\n", what);
  std::abort();
}

evp_mac_ctx_st* new_keyed_hmac() {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof(key)) != 1) fail("no random bytes for the HMAC key");
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (hmac == nullptr) fail("HMAC is not available");
  EVP_MAC_CTX* context = EVP_MAC_CTX_new(hmac);
  EVP_MAC_free(hmac);  // the context holds its own reference
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  if (context == nullptr || EVP_MAC_init(context, key, sizeof(key), params) != 1) {
    fail("cannot key HMAC-SHA256");
  }
  OPENSSL_cleanse(key, sizeof(key));
  return context;
}

}  // namespace

void CredentialCache::MacContextFree::operator()(evp_mac_ctx_st* context) const {
  EVP_MAC_CTX_free(context);
}

CredentialCache::CredentialCache(size_t capacity, Clock::duration ttl)
    : capacity_(capacity), ttl_(ttl), mac_(new_keyed_hmac()) {}
CredentialCache::~CredentialCache() = default;
CredentialCache::CredentialCache(CredentialCache&&) noexcept = default;
CredentialCache& CredentialCache::operator=(CredentialCache&&) noexcept = default;

// HMAC over the name's length, the name and the password: with the length in front, no other
// (name, password) pair yields the same bytes, whatever either contains.
CredentialCache::Digest CredentialCache::digest(std::string_view name, std::string_view password) {
  uint64_t name_size = name.size();
  Digest digest;
  size_t digest_size = 0;
  bool done = EVP_MAC_init(mac_.get(), nullptr, 0, nullptr) == 1 &&
              EVP_MAC_update(mac_.get(), reinterpret_cast<const unsigned char*>(&name_size),
                             sizeof(name_size)) == 1 &&
              EVP_MAC_update(mac_.get(), reinterpret_cast<const unsigned char*>(name.data()),
                             name.size()) == 1 &&
              EVP_MAC_update(mac_.get(), reinterpret_cast<const unsigned char*>(password.data()),
                             password.size()) == 1 &&
              EVP_MAC_final(mac_.get(), digest.data(), &digest_size, digest.size()) == 1;
  if (!done || digest_size != digest.size()) fail("HMAC-SHA256 failed");
  return digest;
}

const StoredUser* CredentialCache::verify(const UserStore& store, std::string_view name,
                                          std::string_view password, Clock::time_point now) {
  if (store.generation() != store_generation_) {
    entries_.clear();
    store_generation_ = store.generation();
  }
  Digest key = digest(name, password);
  if (auto found = entries_.find(key); found != entries_.end()) {
    if (now < found->second.expires) {
      ++hits_;
      return found->second.user;
    }
    entries_.erase(found);
  }
  ++misses_;
  const StoredUser* user = store.verify(name, password);
  if (user != nullptr && capacity_ > 0) {
    if (entries_.size() >= capacity_) entries_.clear();
    entries_.emplace(key, Entry{user, now + ttl_});
  }
  return user;
}

}  // namespace gatehouse::identity
