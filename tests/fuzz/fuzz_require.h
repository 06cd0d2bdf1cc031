// How every fuzz target states an invariant: a broken one aborts, which libFuzzer reports as a
// crash with the input that broke it (and the corpus replay in `make test` as a failed test).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace gatehouse::fuzz {

inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace gatehouse::fuzz
