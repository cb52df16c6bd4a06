// The output engine's own header (output.cpp, the conversion engine, the number conversions):
// the inline fast paths Output declares for every piece of text the conversion engine writes,
// and the scanning and copying helpers they share. Only the output engine and its C entry points
// (modapi/output_capi.cpp: mdb_printf) include it.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"  // sigint_pending
#include "num_chars.hpp"

namespace mdbsim::host {

// The first '\t' or '\n' in [p, end) — with Percent, also the first '%' — or end. Sixteen bytes
// at a time where SSE2 exists; never reads outside [p, end).
// Always inlined, like num_to_chars: a unity batch would otherwise call it out of line.
template <bool Percent>
[[gnu::always_inline]] inline const char* find_special(const char* p, const char* end) {
#if defined(__SSE2__)
    if (end - p >= 16) {
        const __m128i tab = _mm_set1_epi8('\t');
        const __m128i nl = _mm_set1_epi8('\n');
        const __m128i pct = _mm_set1_epi8('%');
        auto hits = [&](const char* at) {
            __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
            __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl));
            if constexpr (Percent) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, pct));
            return static_cast<unsigned>(_mm_movemask_epi8(m));
        };
        for (; end - p >= 16; p += 16)
            if (unsigned m = hits(p)) return p + __builtin_ctz(m);
        if (p == end) return end;
        // The rest: the sixteen bytes that end at `end`, those before p shifted out.
        const char* last = end - 16;
        unsigned m = hits(last) >> (p - last);
        return m != 0 ? p + __builtin_ctz(m) : end;
    }
#endif
    // 8..15 bytes: two overlapping 8-byte words (the second only if the first has no hit, so
    // its lowest hit is the first one). The lowest flagged byte of the SWAR test is exact.
    if (end - p >= 8) {
        auto hits = [](const char* at) {
            constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
            uint64_t v;
            std::memcpy(&v, at, 8);
            auto eq = [&](char c) {
                const uint64_t x = v ^ (ones * static_cast<unsigned char>(c));
                return (x - ones) & ~x & highs;
            };
            uint64_t m = eq('\t') | eq('\n');
            if constexpr (Percent) m |= eq('%');
            return m;
        };
        if (uint64_t m = hits(p)) return p + (__builtin_ctzll(m) >> 3);
        const char* last = end - 8;
        if (uint64_t m = hits(last)) return last + (__builtin_ctzll(m) >> 3);
        return end;
    }
    for (; p != end; ++p) {
        char c = *p;
        if (c == '\t' || c == '\n' || (Percent && c == '%')) return p;
    }
    return end;
}

// Output::vprintf, for mdb_printf: a call to the exported Output::vprintf from inside the
// library would go through the PLT.
[[gnu::visibility("hidden")]] void run_printf(Output& out, const char* fmt, va_list ap);

// memcpy for the few bytes of a number or a literal: overlapping fixed-size moves instead of a
// call. Reads and writes exactly [src, src + n) and [dst, dst + n).
inline void copy_small(char* dst, const char* src, size_t n) {
    if (n >= 8) {
        if (n > 16) {
            std::memcpy(dst, src, n);
            return;
        }
        uint64_t a, b;
        std::memcpy(&a, src, 8);
        std::memcpy(&b, src + n - 8, 8);
        std::memcpy(dst, &a, 8);
        std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        std::memcpy(&a, src, 4);
        std::memcpy(&b, src + n - 4, 4);
        std::memcpy(dst, &a, 4);
        std::memcpy(dst + n - 4, &b, 4);
    } else if (n != 0) {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

// Output's inline fast paths (declared in output.hpp).
inline void Output::chunk_fast(const char* p, size_t n) {
    ensure_indent();
    if (line_.size() + n <= chunk_limit())
        line_.append(p, n);
    else
        put_chunk_slow(std::string_view(p, n));
}

inline void Output::fill_fast(char c, size_t n) {
    ensure_indent();
    if (line_.size() + n <= chunk_limit())
        line_.append(n, c);
    else
        fill_slow(c, n);
}

inline void Output::whitespace_fast(size_t n) {
    ensure_indent();
    if (autowrap_active() && line_.size() + n >= static_cast<size_t>(cols_))
        newline();
    else
        fill_fast(' ', n);
}

inline void Output::puts_fast(const char* p, size_t n, const char* special) {
    const char* const end = p + n;
    while (p != end) {
        if (special != p) chunk_fast(p, static_cast<size_t>(special - p));
        if (special == end) return;
        if (*special == '\t')
            tab(tabstop);
        else
            newline();
        p = special + 1;
        special = find_special<false>(p, end);
    }
}

inline void Output::puts_fast(const char* p, size_t n) { puts_fast(p, n, find_special<false>(p, p + n)); }

// puts() of a whole line — n bytes whose only '\t' or '\n' is the '\n' at the end — when the
// pending line is empty: the sink gets the text as newline() would hand it over, without the
// copy into the line. False (nothing done) when the line is not empty or the text is longer than
// one piece. Only without autowrap (collect mode), where a piece is bufsiz_.
inline bool Output::put_line_nowrap(const char* p, size_t n) {
    if (!line_.empty() || written_ != 0 || n - 1 > bufsiz_) return false;
    emit(std::string_view(p, n));
    continued_ = false;
    ensure_indent();
    return true;
}

// put_line_nowrap() of several whole lines at once — n bytes ending in '\n', the first '\t' or
// '\n' at `first` — when nothing would go between them: no '\t' in the text, no line longer than
// one piece (all n bytes fit in one), no margin and no ^C pending (newline() checks for one per
// line). The sink gets them in one piece. False (nothing done) otherwise.
inline bool Output::put_lines_nowrap(const char* p, size_t n, size_t first) {
    if (!line_.empty() || written_ != 0 || n > bufsiz_ || (indent && margin != 0) || sigint_pending ||
        std::memchr(p + first, '\t', n - first) != nullptr)
        return false;
    emit(std::string_view(p, n));
    continued_ = false;
    return true;
}

}  // namespace mdbsim::host
