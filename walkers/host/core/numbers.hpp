// Digits of a number as mdb reads them, for the command language's lexer and for mdb_strtoull
// and mdb_getopts alike: one parser, so both accept and refuse the same text.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace mdbsim::host {

// 0-9, a-z, A-Z as 0..35; anything else is beyond every base.
constexpr int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

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
