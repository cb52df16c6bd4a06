// Numbers and options of the module API (modapi.md §10): mdb_strtoull, mdb_argtoull and
// mdb_getopts.
#include <sys/mdb_modapi.h>

#include <cstdarg>
#include <string>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "numbers.hpp"

namespace mdbsim::host {
namespace {

// Warns and abandons the command. The CommandAbort unwinds through the dmod's C frames: x86-64
// gcc and clang emit unwind tables (.eh_frame) for C code by default, so this is safe for any
// dmod built with default flags, as illumos' longjmp is.
[[noreturn]] void abort_command(Session& s, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vwarn(s, fmt, ap);
    va_end(ap);
    throw CommandAbort{"", true};
}

uint64_t parse_number(Session& s, const char* str) {
    const char* p = str;
    int base = s.radix;
    if (p[0] == '0' && p[1] != '\0') {
        switch (p[1]) {
        case 'i': case 'I': base = 2; p += 2; break;
        case 'o': case 'O': base = 8; p += 2; break;
        case 't': case 'T': base = 10; p += 2; break;
        case 'x': case 'X': base = 16; p += 2; break;
        default: break;
        }
    }
    bool negate = false;
    if (*p == '-' || *p == '+') {
        negate = *p == '-';
        ++p;
    }
    const ParsedDigits d = parse_digits(p, base);
    switch (d.error) {
    case ParsedDigits::Error::bad_digit: abort_command(s, "digit '%c' is invalid in current base\n", d.bad);
    case ParsedDigits::Error::overflow: abort_command(s, "specified value exceeds maximum immediate value\n");
    case ParsedDigits::Error::none: break;
    }
    return negate ? 0 - d.value : d.value;
}

struct OptSpec {
    char letter = 0;
    int kind = 0;
    uint_t bits = 0;
    void* target = nullptr;      // uint_t*, const char**, uintptr_t* or uint64_t*
    boolean_t* flag = nullptr;   // MDB_OPT_UINTPTR_SET
};

constexpr int kMaxOptions = 52;

// The value of a value option: the rest of the word, or the next argument.
uint64_t option_value(Session& s, const mdb_arg_t& a, const char* rest) {
    if (rest) return parse_number(s, rest);
    return mdb_argtoull(&a);
}

}  // namespace
}  // namespace mdbsim::host

using namespace mdbsim::host;

extern "C" {

u_longlong_t mdb_strtoull(const char* s) {
    Session& session = current_session();
    if (!s) return 0;
    return parse_number(session, s);
}

u_longlong_t mdb_argtoull(const mdb_arg_t* a) {
    if (!a) return 0;
    switch (a->a_type) {
    case MDB_TYPE_STRING: return mdb_strtoull(a->a_un.a_str);
    case MDB_TYPE_IMMEDIATE: return a->a_un.a_val;
    case MDB_TYPE_CHAR: return static_cast<unsigned char>(a->a_un.a_char);
    }
    return 0;
}

int mdb_getopts(int argc, const mdb_arg_t* argv, ...) {
    Session& s = current_session();
    // Without arguments nothing is parsed or set: the option list need not be read (most dcmd
    // calls in a pipeline or a loop have no options).
    if (argc <= 0) return 0;
    OptSpec specs[kMaxOptions];
    int nspecs = 0;
    va_list ap;
    va_start(ap, argv);
    for (;;) {
        int c = va_arg(ap, int);
        if (c == 0) break;
        OptSpec spec;
        spec.letter = static_cast<char>(c);
        spec.kind = static_cast<int>(va_arg(ap, uint_t));
        switch (spec.kind) {
        case MDB_OPT_SETBITS:
        case MDB_OPT_CLRBITS:
            spec.bits = va_arg(ap, uint_t);
            spec.target = va_arg(ap, uint_t*);
            break;
        case MDB_OPT_UINTPTR_SET:
            spec.flag = va_arg(ap, boolean_t*);
            spec.target = va_arg(ap, uintptr_t*);
            break;
        default:
            spec.target = va_arg(ap, void*);
            break;
        }
        if (nspecs < kMaxOptions) specs[nspecs++] = spec;
    }
    va_end(ap);

    auto find = [&](char c) -> const OptSpec* {
        for (int i = 0; i < nspecs; ++i)
            if (specs[i].letter == c) return &specs[i];
        return nullptr;
    };

    int i = 0;
    for (; i < argc; ++i) {
        const mdb_arg_t& a = argv[i];
        if (a.a_type != MDB_TYPE_STRING || !a.a_un.a_str) break;
        const char* word = a.a_un.a_str;
        if (word[0] != '-' || word[1] == '\0' || word[1] == '-') break;
        const int word_index = i;
        for (const char* p = word + 1; *p; ++p) {
            const OptSpec* spec = find(*p);
            if (!spec) {
                warn(s, "illegal option -- %c\n", *p);
                return word_index;
            }
            if (spec->kind == MDB_OPT_SETBITS) {
                *static_cast<uint_t*>(spec->target) |= spec->bits;
                continue;
            }
            if (spec->kind == MDB_OPT_CLRBITS) {
                *static_cast<uint_t*>(spec->target) &= ~spec->bits;
                continue;
            }
            // A value option: the rest of this word, else the next argument.
            const char* rest = p[1] != '\0' ? p + 1 : nullptr;
            const mdb_arg_t* next = nullptr;
            if (!rest) {
                if (i + 1 >= argc) {
                    warn(s, "option requires an argument -- %c\n", *p);
                    return word_index;
                }
                next = &argv[++i];
            }
            switch (spec->kind) {
            case MDB_OPT_STR:
                if (next && next->a_type != MDB_TYPE_STRING) {
                    warn(s, "string argument required for -%c\n", *p);
                    return word_index;
                }
                *static_cast<const char**>(spec->target) = rest ? rest : next->a_un.a_str;
                break;
            case MDB_OPT_UINTPTR_SET:
                *spec->flag = B_TRUE;
                *static_cast<uintptr_t*>(spec->target) =
                    static_cast<uintptr_t>(option_value(s, next ? *next : a, rest));
                break;
            case MDB_OPT_UINTPTR:
                *static_cast<uintptr_t*>(spec->target) =
                    static_cast<uintptr_t>(option_value(s, next ? *next : a, rest));
                break;
            case MDB_OPT_UINT64:
                *static_cast<uint64_t*>(spec->target) = option_value(s, next ? *next : a, rest);
                break;
            default:
                break;
            }
            break;  // the value used up the rest of the word
        }
    }
    return i;
}

}  // extern "C"
