#include "throttling/counter_key.h"

#include <endian.h>

#include <cstring>

namespace gatehouse::throttling {
namespace {

// FNV-1a over the bytes, then SplitMix64's finaliser to spread them over the table's slots.
// A fixed function, unlike absl::Hash (seeded per process): the key is also the name of the count
// in Redis, which every node must compute alike.
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// FNV-1a's step taken eight bytes at a time (little-endian words, the tail byte by byte): every
// request hashes two or three names, and a byte at a time was a tenth of throttling's cost.
uint64_t add(uint64_t hash, std::string_view bytes) {
  size_t at = 0;
  for (; at + 8 <= bytes.size(); at += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + at, 8);
    hash ^= le64toh(word);
    hash *= kFnvPrime;
  }
  for (; at < bytes.size(); ++at) {
    hash ^= static_cast<unsigned char>(bytes[at]);
    hash *= kFnvPrime;
  }
  // The length ends each part, so that ("ab", "c") and ("a", "bc") differ.
  hash ^= bytes.size();
  hash *= kFnvPrime;
  return hash;
}

uint64_t finish(uint64_t hash) {
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

}  // namespace

uint64_t counter_key(Level level, std::string_view first, std::string_view second,
                     std::string_view third) {
  uint64_t hash = kFnvOffset;
  hash ^= static_cast<uint8_t>(level);
  hash *= kFnvPrime;
  hash = finish(add(add(add(hash, first), second), third));
  return hash != 0 ? hash : 1;  // 0 marks an empty slot
}

}  // namespace gatehouse::throttling
