// Small formatting helpers of the module API (modapi.md §12.4): bit pictures, nice numbers and
// times, fractions.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"

namespace {

// The longest bit picture we build; wider requests are clamped (a register is at most 64 bits).
constexpr int kMaxBitWidth = 1024;

// Most significant bit first, a blank after every group of four.
const char* bit_picture(int width, int first, int last, char mark) {
    if (width < 0) width = 0;
    if (width > kMaxBitWidth) width = kMaxBitWidth;
    std::string s;
    for (int i = width - 1; i >= 0; --i) {
        s += (i >= first && i <= last) ? mark : '.';
        if (i % 4 == 0 && i != 0) s += ' ';
    }
    auto* out = static_cast<char*>(mdb_alloc(s.size() + 1, UM_SLEEP | UM_GC));
    if (out == nullptr) return "";
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

}  // namespace

extern "C" {

const char* mdb_one_bit(int width, int bit, int on) {
    return bit_picture(width, bit, bit, on ? '1' : '0');
}

const char* mdb_inval_bits(int width, int start, int stop) {
    return bit_picture(width, start, stop, 'x');
}

// zfs-style: at most five characters, e.g. 1023, 1K, 1.5K, 10.2M, 512M.
void mdb_nicenum(uint64_t num, char* buf) {
    if (buf == nullptr) return;
    const mdbsim::host::BinaryUnits u = mdbsim::host::binary_units(num);
    if (u.unit == 1) {
        std::snprintf(buf, MDB_NICENUM_BUFLEN, "%llu", static_cast<unsigned long long>(u.whole));
        return;
    }
    if (u.exact) {
        std::snprintf(buf, MDB_NICENUM_BUFLEN, "%llu%c", static_cast<unsigned long long>(u.whole), u.letter);
        return;
    }
    double v = static_cast<double>(num) / static_cast<double>(u.unit);
    for (int digits = 2; digits >= 0; --digits) {
        char tmp[32];
        int len = std::snprintf(tmp, sizeof tmp, "%.*f%c", digits, v, u.letter);
        if (len < MDB_NICENUM_BUFLEN || digits == 0) {
            size_t m = std::min<size_t>(static_cast<size_t>(len), MDB_NICENUM_BUFLEN - 1);
            std::memcpy(buf, tmp, m);
            buf[m] = '\0';
            return;
        }
    }
}

// "0ns" for no interval; otherwise "t+" or "t-" and the magnitude in the largest fitting unit:
// ns, us, ms, seconds with tenths, HH:MM:SS.t under a day, "Nd HH:MM:SS.t" beyond.
void mdb_nicetime(int64_t delta, char* buf, size_t buflen) {
    if (buf == nullptr || buflen == 0) return;
    if (delta == 0) {
        std::snprintf(buf, buflen, "0ns");
        return;
    }
    char sign = delta < 0 ? '-' : '+';
    uint64_t a = delta < 0 ? ~static_cast<uint64_t>(delta) + 1 : static_cast<uint64_t>(delta);
    const uint64_t us = 1000, ms = 1000 * us, sec = 1000 * ms, min = 60 * sec, hour = 60 * min,
                   day = 24 * hour;
    auto ull = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    if (a < us)
        std::snprintf(buf, buflen, "t%c%lluns", sign, ull(a));
    else if (a < ms)
        std::snprintf(buf, buflen, "t%c%lluus", sign, ull(a / us));
    else if (a < sec)
        std::snprintf(buf, buflen, "t%c%llums", sign, ull(a / ms));
    else if (a < min)
        std::snprintf(buf, buflen, "t%c%llu.%llus", sign, ull(a / sec), ull(a % sec / (sec / 10)));
    else if (a < day)
        std::snprintf(buf, buflen, "t%c%02llu:%02llu:%02llu.%llu", sign, ull(a / hour),
                      ull(a % hour / min), ull(a % min / sec), ull(a % sec / (sec / 10)));
    else
        std::snprintf(buf, buflen, "t%c%llud %02llu:%02llu:%02llu.%llu", sign, ull(a / day),
                      ull(a % day / hour), ull(a % hour / min), ull(a % min / sec),
                      ull(a % sec / (sec / 10)));
}

// num/denom as "whole.frac" with frac_digits truncated digits (no '.' for zero digits). A zero
// denominator fails with EINVAL.
int mdb_snprintfrac(char* buf, int len, uint64_t numerator, uint64_t denom, int frac_digits) {
    if (denom == 0) {
        if (buf != nullptr && len > 0) buf[0] = '\0';
        errno = EINVAL;
        return -1;
    }
    if (frac_digits < 0) frac_digits = 0;
    if (frac_digits > 18) frac_digits = 18;
    uint64_t whole = numerator / denom;
    unsigned __int128 rem = numerator % denom;
    unsigned __int128 scale = 1;
    for (int i = 0; i < frac_digits; ++i) scale *= 10;
    auto frac = static_cast<unsigned long long>(rem * scale / denom);
    size_t n = buf == nullptr || len < 0 ? 0 : static_cast<size_t>(len);
    if (frac_digits == 0)
        return static_cast<int>(
            mdb_snprintf(buf, n, "%llu", static_cast<unsigned long long>(whole)));
    char digits[32];
    std::snprintf(digits, sizeof digits, "%0*llu", frac_digits, frac);
    return static_cast<int>(
        mdb_snprintf(buf, n, "%llu.%s", static_cast<unsigned long long>(whole), digits));
}

}  // extern "C"
