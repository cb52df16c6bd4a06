// The digits of mdb's numbers (illumos numtostr) into a caller's buffer: the one routine behind
// every integer conversion of the printf engine, num_to_str() and the format verbs.
// Internal to the host; bench/numbers_bench.cpp includes it to compare it with std::to_chars
// and fmt (docs/benchmarks.md says which won and why the routine is what it is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "mdbsim/host/output.hpp"

namespace mdbsim::host {

// Two digits at a time: "00".."99", and "00".."ff" / "00".."FF".
struct DigitPairs {
    char dec[200] = {};
    char hex[512] = {};
    char hex_upper[512] = {};
    constexpr DigitPairs() {
        for (int i = 0; i < 100; ++i) {
            dec[2 * i] = static_cast<char>('0' + i / 10);
            dec[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
        const char* lo = "0123456789abcdef";
        const char* up = "0123456789ABCDEF";
        for (int i = 0; i < 256; ++i) {
            hex[2 * i] = lo[i >> 4];
            hex[2 * i + 1] = lo[i & 0xf];
            hex_upper[2 * i] = up[i >> 4];
            hex_upper[2 * i + 1] = up[i & 0xf];
        }
    }
};
inline constexpr DigitPairs kDigitPairs{};

// illumos numtostr() into a caller's buffer: the text of v ends at `end` and starts at the
// returned pointer (at most kNumChars characters). Base 2..16 (others are 16); negative values
// (unless kNumUnsigned) get '-' and their magnitude; kNumShowBase adds 0i/0o/0t/0x when the raw
// value exceeds 1/7/9/9. num_to_str() is this as a std::string.
inline constexpr size_t kNumChars = 72;
// Always inlined: a unity batch's inliner otherwise leaves it out of line in the printf engine,
// its hottest caller (a call per number converted).
[[gnu::always_inline]] inline char* num_to_chars(char* end, uint64_t v, int base, unsigned flags) {
    if (base < 2 || base > 16) base = 16;
    const bool upper = (flags & kNumUpcase) != 0;
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const bool neg = !(flags & kNumUnsigned) && static_cast<int64_t>(v) < 0;
    uint64_t rem = neg ? (~v + 1) : v;

    char* p = end;
    switch (base) {
    case 16: {
        const char* pairs = upper ? kDigitPairs.hex_upper : kDigitPairs.hex;
        for (; rem >= 0x100; rem >>= 8) {
            p -= 2;
            std::memcpy(p, pairs + 2 * (rem & 0xff), 2);
        }
        if (rem >= 0x10) {
            p -= 2;
            std::memcpy(p, pairs + 2 * rem, 2);
        } else {
            *--p = digits[rem];
        }
        break;
    }
    case 10:
        for (; rem >= 100; rem /= 100) {
            p -= 2;
            std::memcpy(p, kDigitPairs.dec + 2 * (rem % 100), 2);
        }
        if (rem >= 10) {
            p -= 2;
            std::memcpy(p, kDigitPairs.dec + 2 * rem, 2);
        } else {
            *--p = static_cast<char>('0' + rem);
        }
        break;
    case 8:
        do {
            *--p = static_cast<char>('0' + (rem & 7));
            rem >>= 3;
        } while (rem != 0);
        break;
    default:
        do {
            *--p = digits[rem % static_cast<unsigned>(base)];
            rem /= static_cast<unsigned>(base);
        } while (rem != 0);
        break;
    }

    if (flags & kNumShowBase) {
        char c = 0;
        uint64_t lim = 0;
        switch (base) {
        case 2: lim = 1; c = 'i'; break;
        case 8: lim = 7; c = 'o'; break;
        case 10: lim = 9; c = 't'; break;
        case 16: lim = 9; c = 'x'; break;
        default: break;
        }
        // The raw value decides, so every negative number carries the prefix.
        if (c != 0 && v > lim) {
            *--p = c;
            *--p = '0';
        }
    }
    if (neg)
        *--p = '-';
    else if (flags & kNumSignPos)
        *--p = '+';
    return p;
}

}  // namespace mdbsim::host
