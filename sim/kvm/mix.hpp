// A small deterministic mixer (splitmix64) shared by the kvm builders and corruption selectors,
// so scenarios are identical on every platform and standard library.
#pragma once

#include <cstdint>

namespace mdbsim::sim::kvm {

inline uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

inline uint64_t mix64(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b)); }

}  // namespace mdbsim::sim::kvm
