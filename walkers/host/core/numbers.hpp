// Digits of a number as mdb reads them, for the command language's lexer and for mdb_strtoull
// and mdb_getopts alike: one parser, so both accept and refuse the same text.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace mdbsim::host {

// 0-9, a-z, A-Z as 0..35; anything else is beyond every base. A table: the lexer converts every
// digit of every address typed through it.
inline constexpr struct DigitTable {
    unsigned char v[256];
    constexpr DigitTable() : v{} {
        for (int c = 0; c < 256; ++c)
            v[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
    }
} kDigitTable;

constexpr int digit_value(char c) { return kDigitTable.v[static_cast<unsigned char>(c)]; }

// The most digits in base b (2..36) whose value always fits in 64 bits: b^n <= 2^64.
inline constexpr struct SafeDigits {
    unsigned char n[37];
    constexpr SafeDigits() : n{} {
        for (int b = 2; b <= 36; ++b) {
            unsigned __int128 p = 1;
            int k = 0;
            while (p * static_cast<unsigned>(b) <= (static_cast<unsigned __int128>(1) << 64)) p *= static_cast<unsigned>(b), ++k;
            n[b] = static_cast<unsigned char>(k);
        }
    }
} kSafeDigits;

constexpr bool is_hex_digit(char c) { return digit_value(c) < 16; }

struct ParsedDigits {
    enum class Error { none, bad_digit, overflow };
    uint64_t value = 0;
    Error error = Error::none;
    char bad = 0;  // the digit that is invalid in the base
};

// digits in base 2..36; a '_' after the first character is a separator. Callers report the two
// errors in their own way (a parse error, or a warning that abandons the command), with mdb's
// words: "digit '%c' is invalid in current base", "specified value exceeds maximum immediate
// value".
constexpr ParsedDigits parse_digits(std::string_view digits, int base) {
    ParsedDigits r;
    const auto b = static_cast<uint64_t>(base);
    // Text no longer than the digits that always fit (a typed address: 16 hex digits) needs no
    // overflow test; '_' separators only make the count smaller.
    if (base >= 2 && base <= 36 && digits.size() <= kSafeDigits.n[base]) {
        for (size_t i = 0; i < digits.size(); ++i) {
            const char c = digits[i];
            if (c == '_' && i != 0) continue;
            const int d = digit_value(c);
            if (d >= base) return {r.value, ParsedDigits::Error::bad_digit, c};
            r.value = r.value * b + static_cast<uint64_t>(d);
        }
        return r;
    }
    for (size_t i = 0; i < digits.size(); ++i) {
        const char c = digits[i];
        if (c == '_' && i != 0) continue;
        const int d = digit_value(c);
        if (d >= base) return {r.value, ParsedDigits::Error::bad_digit, c};
        // The overflow test without a division per digit (a 16-digit address made 16 of them).
        uint64_t next = 0;
        if (__builtin_mul_overflow(r.value, b, &next) ||
            __builtin_add_overflow(next, static_cast<uint64_t>(d), &next))
            return {r.value, ParsedDigits::Error::overflow, 0};
        r.value = next;
    }
    return r;
}

}  // namespace mdbsim::host
