// The mdb_printf conversion engine (modapi.md §12.2): flags # + - 0, widths n * ?, sizes
// h l ll j z, and mdb's own conversions. Not printf(3): no precision, unknown conversions are
// printed literally and consume nothing.
#include <arpa/inet.h>
#include <link.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "output_inline.hpp"

namespace mdbsim::host {

namespace {

enum class IntSize { shrt, normal, lng, longlong };

// Widths beyond this come only from garbage (`%*d` with a negative int): clamped so a bad
// format cannot make the debugger emit gigabytes of padding.
constexpr size_t kMaxWidth = 1 << 16;

struct ArgList {
    va_list ap;
};

uint64_t fetch_int(ArgList& a, IntSize size, bool is_unsigned) {
    switch (size) {
    case IntSize::longlong:
    case IntSize::lng:
        return is_unsigned ? static_cast<uint64_t>(va_arg(a.ap, unsigned long long))
                           : static_cast<uint64_t>(va_arg(a.ap, long long));
    case IntSize::shrt:
        return is_unsigned ? static_cast<uint64_t>(static_cast<unsigned short>(va_arg(a.ap, unsigned)))
                           : static_cast<uint64_t>(static_cast<int64_t>(static_cast<short>(va_arg(a.ap, int))));
    case IntSize::normal:
    default:
        return is_unsigned ? static_cast<uint64_t>(va_arg(a.ap, unsigned))
                           : static_cast<uint64_t>(static_cast<int64_t>(va_arg(a.ap, int)));
    }
}

struct Spec {
    bool alt = false;
    bool left = false;
    bool zfill = false;
    bool digits = false;
    unsigned numflags = 0;
    size_t width = 0;
    IntSize size = IntSize::normal;
};

// One converted field: its text, and the prefix or suffix that '#' adds. The text is in one of
// three places: a number's digits in numbuf, a single character in onechar, or a string the
// conversion made (owned) or was given (the %s argument, a literal).
struct Field {
    const char* str = nullptr;
    size_t len = 0;
    bool plain = false;       // str holds no '\t' or '\n' (numbers, prefixes)
    std::string_view alt;     // '#': "0x", "0", ":" ...
    bool alt_suffix = false;  // alt goes after the text (%#a's ':')
    char onechar[2] = {0, 0};
    char numbuf[kNumChars];  // a number's text, at its end
    std::string owned;

    Field() = default;
    Field(const Field&) = delete;  // str may point into this object
    Field& operator=(const Field&) = delete;

    void num(uint64_t v, int base, unsigned fl) {
        char* end = numbuf + sizeof numbuf;
        str = num_to_chars(end, v, base, fl);
        len = static_cast<size_t>(end - str);
        plain = true;
    }
    void text(const char* s) {
        str = s;
        len = std::strlen(s);
        plain = false;
    }
    void text(std::string s) {
        owned = std::move(s);
        str = owned.c_str();
        len = owned.size();
        plain = false;
    }
    void character(char c) {
        onechar[0] = c;
        str = onechar;
        len = c != '\0' ? 1 : 0;  // %c of NUL prints nothing, as mdb's C string does
        plain = false;
    }
};

// The conversions a compiled format may hold: numbers, %p, %s, %c, %% and unknown characters
// (printed as themselves). The rest look up symbols or variables, or work on the stream.
constexpr bool is_simple_conversion(char c) {
    switch (c) {
    case 'a': case 'A': case 'b': case 'e': case 'E': case 'g': case 'G': case 'H': case 'I':
    case 'N': case 'Y': case 'm': case 't': case 'T': case '<': case '\0':
        return false;
    default:
        return true;
    }
}

// A format string parsed once: its literal runs and conversions, replayed for every call with
// the same format (the strings of a dmod are literals, printed millions of times by a walk).
constexpr int kPlainString = -1;

struct PlanOp {
    bool literal = false;
    bool star = false;  // conversion: the width comes from an int argument
    char conv = 0;
    Spec spec;
    uint32_t off = 0, len = 0;  // literal: its text within Plan::text
    uint32_t special = 0;       // literal: offset of its first '\t' or '\n', or len
    // A number without a prefix string (d i u x X o p, no '#' on x X o, no '*'): converted and
    // padded straight into the collect buffer. base 0: not one; kPlainString: %s without width.
    int base = 0;
    unsigned numflags = 0;  // num_to_chars flags
    bool is_unsigned = false;
};

struct Plan {
    std::string text;     // the format, compared with the caller's on every hit unless fixed
    bool usable = false;  // holds only what PlanOp can express; else run() interprets
    bool fixed = false;   // the format lies in a never-writable segment (a string literal)
    std::vector<PlanOp> ops;
};

// Whether [p, p + n) lies in a loaded object's segment that is never writable (no PF_W: a
// string literal in .rodata or .text), whose bytes cannot change while the object stays loaded.
// Segments made read-only after relocation (RELRO) are in writable PT_LOADs: not fixed.
bool in_fixed_segment(const void* p, size_t n) {
    struct Query {
        uintptr_t begin, end;
        bool fixed;
    } q{reinterpret_cast<uintptr_t>(p), reinterpret_cast<uintptr_t>(p) + n, false};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            auto* q = static_cast<Query*>(data);
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_LOAD) continue;
                const uintptr_t b = info->dlpi_addr + ph.p_vaddr, e = b + ph.p_memsz;
                if (q->begin >= b && q->end <= e && q->end >= q->begin) {
                    q->fixed = (ph.p_flags & PF_W) == 0;
                    return 1;
                }
            }
            return 0;
        },
        &q);
    return q.fixed;
}

// The flags, width and size of one conversion as mdb reads them: p points at the '%' and is left
// at the conversion character, which is returned. star() gives the width of each '*'.
template <class Star>
char parse_spec(const char*& p, Spec& sp, Star&& star) {
    for (;;) {
        const char c = *++p;
        switch (c) {
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9': {
            if (!sp.digits && c == '0') {
                sp.zfill = true;
                continue;
            }
            size_t w = 0;
            while (*p >= '0' && *p <= '9') {
                w = std::min<size_t>(w * 10 + static_cast<size_t>(*p - '0'), kMaxWidth);
                ++p;
            }
            --p;
            sp.width = w;
            sp.digits = true;
            continue;
        }
        case '#': sp.alt = true; continue;
        case '+': sp.numflags |= kNumSignPos; continue;
        case '-': sp.left = true; continue;
        case '?': sp.width = 2 * sizeof(uintptr_t); continue;
        case '*': sp.width = star(); continue;
        case 'h': sp.size = IntSize::shrt; continue;
        case 'l':
            sp.size = (sp.size == IntSize::lng || sp.size == IntSize::longlong) ? IntSize::longlong
                                                                             : IntSize::lng;
            continue;
        case 'j':
        case 'z':
            sp.size = IntSize::longlong;
            continue;
        default:
            return c;
        }
    }
}

// parse_spec for a plan. Returns false for what a plan cannot hold: more than one '*', or a '*'
// whose width a later digit or '?' replaces (run() still consumes its argument).
bool compile_spec(const char*& p, PlanOp& op) {
    constexpr size_t kFromStar = ~size_t{0};  // no digits or '?' can give this width
    int stars = 0;
    op.conv = parse_spec(p, op.spec, [&stars] {
        ++stars;
        return kFromStar;
    });
    if (stars > 1 || (stars == 1 && op.spec.width != kFromStar)) return false;
    if (stars == 1) {
        op.star = true;
        op.spec.width = 0;
    }
    return is_simple_conversion(op.conv);
}

// The literal text at `format` runs to the next '%' or fend; returns its end and sets *special
// to its first '\t' or '\n', or to its end.
const char* scan_literal(const char* format, const char* fend, const char** special) {
    const char* p = find_special<true>(format, fend);
    const char* first = nullptr;
    while (p != fend && *p != '%') {
        if (first == nullptr) first = p;
        p = find_special<true>(p + 1, fend);
    }
    *special = first != nullptr ? first : p;
    return p;
}

void compile(Plan& plan) {
    const char* const begin = plan.text.c_str();
    const char* const fend = begin + plan.text.size();
    const char* format = begin;
    for (;;) {
        const char* special;
        const char* p = scan_literal(format, fend, &special);
        if (p != format) {
            PlanOp lit;
            lit.literal = true;
            lit.off = static_cast<uint32_t>(format - begin);
            lit.len = static_cast<uint32_t>(p - format);
            lit.special = static_cast<uint32_t>(special - format);
            plan.ops.push_back(lit);
        }
        if (p == fend) break;
        if (p[1] == '\0') break;  // a lone '%' at the end prints nothing
        PlanOp op;
        if (!compile_spec(p, op)) return;
        const Spec& sp = op.spec;
        if (!op.star) {
            switch (op.conv) {
            case 'd': case 'i':
                op.base = 10;
                op.numflags = sp.numflags | (sp.alt ? kNumShowBase : 0);
                break;
            case 'u':
                op.base = 10;
                op.numflags = sp.numflags | kNumUnsigned | (sp.alt ? kNumShowBase : 0);
                op.is_unsigned = true;
                break;
            case 'x': case 'X': case 'o':
                if (sp.alt) break;
                op.base = op.conv == 'o' ? 8 : 16;
                op.numflags = kNumUnsigned | (op.conv == 'X' ? kNumUpcase : 0);
                op.is_unsigned = true;
                break;
            case 'p':
                op.base = 16;
                op.numflags = kNumUnsigned;
                op.is_unsigned = true;
                break;
            case 's':
                if (sp.width == 0) op.base = kPlainString;
                break;
            default:
                break;
            }
        }
        plan.ops.push_back(op);
        format = p + 1;
    }
    plan.usable = plan.text.size() < (1u << 31);
}

// Plans by format address, checked against the text on every hit (a format may be a buffer
// the dmod rewrites) unless the format is a string literal (Plan::fixed); forgotten when a
// module's object is closed, since another may later be mapped at the same addresses. A format address seen with new text is not cached again: such a dmod
// builds its formats at run time, and recompiling each call would cost more than interpreting.
// Two ways per set, the least recently used one replaced: with one, two formats of one loop
// whose addresses happened to share a slot evicted each other on every call, and whether they
// did changed with the binary's layout.
class PlanCache {
public:
    // The plan for fmt, or nullptr: interpret it.
    const Plan* get(const char* fmt) {
        const auto a = reinterpret_cast<uintptr_t>(fmt);
        Set& set = sets_[static_cast<size_t>((a * 0x9E3779B97F4A7C15ULL) >> 56) % kSets];
        for (unsigned w = 0; w < 2; ++w) {
            Slot& slot = set.ways[w];
            if (slot.key != fmt) continue;
            set.lru = static_cast<uint8_t>(w ^ 1);
            if (slot.plan == nullptr) return nullptr;  // a rewritten buffer
            if (slot.plan->fixed ||
                std::strncmp(fmt, slot.plan->text.c_str(), slot.plan->text.size() + 1) == 0)
                return slot.plan->usable ? slot.plan.get() : nullptr;
            slot.plan.reset();
            return nullptr;
        }
        auto plan = std::make_unique<Plan>();
        plan->text = fmt;
        plan->fixed = in_fixed_segment(fmt, plan->text.size() + 1);
        compile(*plan);
        if (plan->usable) ++compiled;
        Slot& slot = set.ways[set.lru];
        set.lru ^= 1;
        slot.key = fmt;
        slot.plan = std::move(plan);
        return slot.plan->usable ? slot.plan.get() : nullptr;
    }
    void clear() {
        for (Set& set : sets_) set = Set{};
    }
    bool in_use = false;  // a plan is being replayed (a sink that printed again must not evict it)
    uint64_t compiled = 0;  // usable plans made (printf_plan_stats)
    uint64_t replayed = 0;  // calls answered by replaying a plan

private:
    static constexpr size_t kSets = 256;  // (a * golden) >> 56 is 8 bits
    struct Slot {
        const char* key = nullptr;
        std::unique_ptr<Plan> plan;  // null with a key: that address was seen with new text
    };
    struct Set {
        Slot ways[2];
        uint8_t lru = 0;  // the way to replace next
    };
    Set sets_[kSets];
};

// Off: every call interprets its format (tests compare the two).
bool g_plans_enabled = true;

// The engine has two ways to emit a call's text.
//
// Without autowrap (the default, and always on pipes and in mdb_snprintf), the autowrap tests
// never fire and every literal and field is plain text through Output::puts: padding is
// fill() (which splits at the buffer size exactly as put_chunk() does), and puts(a) then puts(b)
// leaves the stream exactly as puts(a + b) does. So the engine collects the call's text in a
// local buffer and hands it to puts() once ("collect" mode): one scan for '\t' and '\n', one copy
// into the line, no per-piece checks. The margin (ensure_indent) is applied first when any piece
// would have applied it. Conversions whose output depends on the column or writes around the
// line (%b, %m, %t, %T, terminal attributes) first hand over what was collected, then run as
// below. Sinks only consume text; nothing they do changes a stream's settings mid-call.
//
// With autowrap, each piece goes to the line as it is converted, with the autowrap test before
// it (§12.1).
//
// Conversions come in families, one member each: integers (d i u x X o q r R p), text (s c %
// and unknown characters), symbols (a A), floating point (e E g G), other value forms (H I N Y),
// stream layout (b m t T) and the <...> escapes (variables, terminal attributes). A family turns
// its argument into a Field; field() pads it, the same way for all of them and in both modes.
class Engine {
public:
    Engine(Output& out, ArgList& args)
        : out_(out), args_(args), session_(out.session()), collect_(!out.autowrap_active()) {}

    void run(const char* format);
    // The same output as run(plan.text) for a usable plan, in collect mode.
    void run_plan(const Plan& plan);
    bool collecting() const { return collect_; }

private:
    // ---- conversion families ----
    // A simple conversion (is_simple_conversion): an integer or text.
    void convert_simple(char c, const Spec& sp, Field& f) {
        if (!integer(c, sp, f)) text(c, f);
    }
    bool integer(char c, const Spec& sp, Field& f);  // false: c is not an integer conversion
    void text(char c, Field& f);
    void symbol(char c, Spec& sp, Field& f);
    void floating(char c, const Spec& sp, Field& f);
    void value_form(char c, const Spec& sp, Field& f);
    void layout(char c, const Spec& sp);
    // The <...> escape at p (the '<'); leaves p at its '>' or the format's last character.
    // True when it made a field (a variable), false when it acted on the stream or nothing.
    bool angle(const char*& p, Field& f);

    void bits(uint64_t value, const mdb_bitmask_t* bm, bool alt);
    void attribute(std::string_view param);
    std::string variable(std::string_view name, bool& found) const;
    int radix() const { return session_ ? session_->radix : 16; }

    // ---- emitting ----
    // Literal text between conversions; special: its first '\t' or '\n', or its end.
    void literal(const char* text, size_t len, const char* special) {
        if (len == 0) return;
        if (!collect_) return stream_literal(text, len, special);
        indent_ = true;
        add(text, len, special == text + len ? kNone : static_cast<size_t>(special - text));
    }
    [[gnu::noinline]] void stream_literal(const char* text, size_t len, const char* special);

    // A converted field, padded to the spec's width: the one padding routine (pad_field) with
    // the collect buffer or the stream as its destination.
    void field(const Spec& sp, const char* str, size_t len, std::string_view alt, bool alt_suffix,
               bool plain) {
        if (collect_) {
            Collect d{*this};
            pad_field(d, sp, str, len, alt, alt_suffix, plain);
        } else {
            stream_field(sp, str, len, alt, alt_suffix, plain);
        }
    }
    void field(const Spec& sp, const Field& f) {
        field(sp, f.str, f.len, f.alt, f.alt_suffix, f.plain);
    }
    [[gnu::noinline]] void stream_field(const Spec& sp, const char* str, size_t len,
                                        std::string_view alt, bool alt_suffix, bool plain);

    // [padding][prefix]text[suffix][padding], at least sp.width wide; the padding goes right with
    // '-', else left, '0'-filled with the 0 flag. Dest: begin(width), lead(c, n), raw(text, n),
    // text(text, n, plain), trail(n).
    template <class Dest>
    static void pad_field(Dest& d, const Spec& sp, const char* str, size_t len,
                          std::string_view alt, bool alt_suffix, bool plain) {
        const size_t altlen = alt.size();
        const size_t width = std::max(std::min(sp.width, kMaxWidth), len + altlen);
        const size_t pad = width - altlen - len;
        d.begin(width);
        if (pad != 0 && !sp.left) d.lead(sp.zfill ? '0' : ' ', pad);
        if (altlen != 0 && !alt_suffix) d.raw(alt.data(), altlen);
        if (len != 0) d.text(str, len, plain);
        if (altlen != 0 && alt_suffix) d.raw(alt.data(), altlen);
        if (pad != 0 && sp.left) d.trail(pad);
    }
    // pad_field's destinations.
    struct Collect {
        Engine& e;
        void begin(size_t) { e.indent_ = true; }
        void lead(char c, size_t n) { e.add_fill(c, n); }
        void raw(const char* p, size_t n) { e.add(p, n, kNone); }
        void text(const char* p, size_t n, bool plain) {
            size_t special = kNone;
            if (!plain) {
                const char* at = find_special<false>(p, p + n);
                if (at != p + n) special = static_cast<size_t>(at - p);
            }
            e.add(p, n, special);
        }
        void trail(size_t n) { e.add_fill(' ', n); }
    };
    struct Stream {
        Output& o;
        void begin(size_t width) {
            o.ensure_indent();
            if (o.wrap_now(width)) o.newline();
        }
        void lead(char c, size_t n) { o.fill_fast(c, n); }
        void raw(const char* p, size_t n) { o.chunk_fast(p, n); }
        void text(const char* p, size_t n, bool plain) {
            if (plain)
                o.chunk_fast(p, n);
            else
                o.puts_fast(p, n);
        }
        void trail(size_t n) { o.whitespace_fast(n); }  // may wrap instead
    };

    // ---- collect mode ----
    static constexpr size_t kNone = ~size_t{0};
    // Text for the line; special: the offset of its first '\t' or '\n', or kNone.
    void add(const char* text, size_t len, size_t special) {
        if (len == 0) return;
        if (len > sizeof buf_ - used_) {
            commit();
            if (len > sizeof buf_) return add_big(text, len, special);
        }
        if (special != kNone && first_special_ == kNone) first_special_ = used_ + special;
        copy_small(buf_ + used_, text, len);
        used_ += len;
    }
    [[gnu::noinline]] void add_big(const char* text, size_t len, size_t special) {
        out_.puts_fast(text, len, special == kNone ? text + len : text + special);
    }
    void add_fill(char c, size_t n) {
        if (n > sizeof buf_ - used_) {
            commit();
            if (n > sizeof buf_) return out_.fill_fast(c, n);
        }
        std::memset(buf_ + used_, c, n);
        used_ += n;
    }
    // Hands the collected text to the stream. (Nothing a sink does turns autowrap on mid-call.)
    [[gnu::noinline]] void commit() {
        if (indent_) out_.ensure_indent();
        indent_ = false;
        if (used_ != 0 &&
            !(buf_[used_ - 1] == '\n' && first_special_ != kNone &&
              (first_special_ == used_ - 1 ? out_.put_line_nowrap(buf_, used_)
                                           : out_.put_lines_nowrap(buf_, used_, first_special_))))
            out_.puts_fast(buf_, used_,
                               buf_ + (first_special_ == kNone ? used_ : first_special_));
        used_ = 0;
        first_special_ = kNone;
    }
    // Before a conversion that works on the stream directly.
    void sync() {
        if (collect_) commit();
    }

    Output& out_;
    ArgList& args_;
    Session* session_;
    bool collect_;        // collect mode (above)
    bool indent_ = false;  // a collected piece would have applied the margin first
    size_t used_ = 0;
    size_t first_special_ = kNone;  // offset of the first '\t' or '\n' in buf_
    char buf_[512];
};

void Engine::stream_literal(const char* text, size_t len, const char* special) {
    out_.ensure_indent();
    if (out_.wrap_now(len) && text[0] != '\n') out_.newline();
    out_.puts_fast(text, len, special);
}

void Engine::stream_field(const Spec& sp, const char* str, size_t len, std::string_view alt,
                          bool alt_suffix, bool plain) {
    Stream d{out_};
    pad_field(d, sp, str, len, alt, alt_suffix, plain);
}

// ---- the families ----

bool Engine::integer(char c, const Spec& sp, Field& f) {
    const unsigned show = sp.alt ? kNumShowBase : 0;
    switch (c) {
    case 'd':
    case 'i':
        f.num(fetch_int(args_, sp.size, false), 10, sp.numflags | show);
        return true;
    case 'u':
        f.num(fetch_int(args_, sp.size, true), 10, sp.numflags | kNumUnsigned | show);
        return true;
    case 'x':
    case 'X': {
        uint64_t v = fetch_int(args_, sp.size, true);
        f.num(v, 16, kNumUnsigned | (c == 'X' ? kNumUpcase : 0));
        if (sp.alt && v != 0) f.alt = c == 'X' ? "0X" : "0x";
        return true;
    }
    case 'o': {
        uint64_t v = fetch_int(args_, sp.size, true);
        f.num(v, 8, kNumUnsigned);
        if (sp.alt && v != 0) f.alt = "0";
        return true;
    }
    case 'q': {
        uint64_t v = fetch_int(args_, sp.size, false);
        f.num(v, 8, sp.numflags);
        if (sp.alt && v != 0) f.alt = "0";
        return true;
    }
    case 'r':
        f.num(fetch_int(args_, sp.size, true), radix(), sp.numflags | kNumUnsigned | show);
        return true;
    case 'R':
        f.num(fetch_int(args_, sp.size, false), radix(), sp.numflags | show);
        return true;
    case 'p':
        f.num(reinterpret_cast<uintptr_t>(va_arg(args_.ap, void*)), 16, kNumUnsigned);
        return true;
    default:
        return false;
    }
}

void Engine::text(char c, Field& f) {
    switch (c) {
    case 'c':
        f.character(static_cast<char>(va_arg(args_.ap, int)));
        break;
    case 's': {
        const char* a = va_arg(args_.ap, const char*);
        f.text(a != nullptr ? a : "<NULL>");
        break;
    }
    case '%':
        f.character('%');
        break;
    default:  // not a conversion: the character itself
        f.character(c);
        break;
    }
}

// %a: the symbol and offset, or the address in hex ('#': a ':' after it). %A: the symbol or
// nothing ('#': "?" for nothing). Both take a pointer-sized argument at least.
void Engine::symbol(char c, Spec& sp, Field& f) {
    if (sp.size < IntSize::lng) sp.size = IntSize::lng;
    const uint64_t v = fetch_int(args_, sp.size, true);
    std::string sym = session_ ? addr_to_symbol(*session_, v) : std::string();
    if (c == 'a') {
        f.text(sym.empty() ? num_to_str(v, 16, kNumUnsigned | kNumShowBase) : std::move(sym));
        if (sp.alt) {
            f.alt = ":";
            f.alt_suffix = true;
        }
    } else if (!sym.empty()) {
        f.text(std::move(sym));
    } else if (sp.alt) {
        f.text("?");
    }
}

void Engine::floating(char c, const Spec& sp, Field& f) {
    if (c == 'e' || c == 'E') {
        f.text(double_to_str(va_arg(args_.ap, double), 7, c));
        return;
    }
    const char e = c == 'g' ? 'e' : 'E';
    if (sp.size >= IntSize::lng)
        f.text(double_to_str(static_cast<double>(va_arg(args_.ap, long double)), 16, e));
    else
        f.text(double_to_str(va_arg(args_.ap, double), 16, e));
}

// %H a size in K/M/G..., %I an IPv4 address, %N an IPv6 address, %Y a time.
void Engine::value_form(char c, const Spec& sp, Field& f) {
    switch (c) {
    case 'H':
        f.text(bytes_to_str(fetch_int(args_, sp.size, true)));
        break;
    case 'I': {
        uint32_t a = va_arg(args_.ap, uint32_t);
        char buf[INET_ADDRSTRLEN] = "";
        inet_ntop(AF_INET, &a, buf, sizeof buf);
        f.text(std::string(buf));
        break;
    }
    case 'N': {
        const void* a = va_arg(args_.ap, const void*);
        char buf[INET6_ADDRSTRLEN] = "";
        if (a == nullptr) {
            f.text("<NULL>");
        } else {
            inet_ntop(AF_INET6, a, buf, sizeof buf);
            f.text(std::string(buf));
        }
        break;
    }
    case 'Y': {
        auto t = static_cast<time_t>(va_arg(args_.ap, long));
        struct tm tm {};
        char buf[64];
        if (localtime_r(&t, &tm) != nullptr &&
            std::strftime(buf, sizeof buf, "%Y %b %e %H:%M:%S", &tm) > 0)
            f.text(std::string(buf));
        else
            f.text(num_to_str(static_cast<uint64_t>(t), radix(), 0));
        break;
    }
    default:
        break;
    }
}

// %b bit names, %m the margin, %t and %T tabs: they work on the stream's column, after the text
// collected so far has gone to it.
void Engine::layout(char c, const Spec& sp) {
    sync();
    switch (c) {
    case 'b': {
        uint64_t v = fetch_int(args_, sp.size, true);
        auto* bm = static_cast<const mdb_bitmask_t*>(va_arg(args_.ap, const void*));
        bits(v, bm, sp.alt);
        break;
    }
    case 'm':
        out_.ensure_indent();
        if (out_.column() == 0) out_.whitespace(sp.width != 0 ? sp.width : out_.margin);
        break;
    case 't':
        for (size_t i = 0, n = sp.width != 0 ? sp.width : 1; i < n; ++i) out_.tab(out_.tabstop);
        break;
    case 'T':
        out_.ensure_indent();
        if (sp.width != 0 && out_.column() % sp.width != 0) out_.tab(sp.width);
        break;
    default:
        break;
    }
}

bool Engine::angle(const char*& p, Field& f) {
    const char* start = p + 1;
    const char* end = std::strchr(start, '>');
    if (end == nullptr) {
        // Unterminated: the rest of the format is swallowed, as in mdb.
        p = start + std::strlen(start) - 1;
        return false;
    }
    std::string_view param(start, static_cast<size_t>(end - start));
    p = end;
    if (!param.empty() && param.front() == '_') {
        bool found = false;
        std::string v = variable(param.substr(1), found);
        if (found) f.text(std::move(v));  // undefined: an empty field
        return true;
    }
    if (!param.empty()) {
        sync();
        attribute(param);
    }
    return false;
}

void Engine::bits(uint64_t value, const mdb_bitmask_t* bm, bool alt) {
    bool delim = false;
    out_.ensure_indent();
    if (bm != nullptr) {
        for (; bm->bm_name != nullptr; ++bm) {
            if ((value & bm->bm_mask) != bm->bm_bits) continue;
            size_t width = std::strlen(bm->bm_name) + (delim ? 1 : 0);
            if (out_.wrap_now(width)) out_.newline();
            if (delim) out_.puts(",");
            delim = true;
            out_.puts(bm->bm_name);
            value &= ~bm->bm_bits;
        }
    }
    if (alt && (!delim || value != 0)) {
        std::string s = num_to_str(value, 16, kNumUnsigned | kNumShowBase);
        size_t width = s.size() + (delim ? 1 : 0);
        if (out_.wrap_now(width)) out_.newline();
        if (delim) out_.puts(",");
        out_.puts(s);
    }
}

// Terminal attributes as xterm-compatible escape sequences, only on a terminal. They take no
// columns: pending text is handed to the sink first and the sequence written after it.
void Engine::attribute(std::string_view param) {
    if (!out_.is_terminal()) return;
    bool off = false;
    if (!param.empty() && param.front() == '/') {
        off = true;
        param.remove_prefix(1);
    }
    if (param.size() != 1) return;
    const char* seq = nullptr;
    switch (param.front()) {
    case 's': seq = off ? "\033[27m" : "\033[7m"; break;   // standout (reverse on xterm)
    case 'u': seq = off ? "\033[24m" : "\033[4m"; break;
    case 'r': seq = off ? "\033[27m" : "\033[7m"; break;
    case 'b': seq = off ? "\033[22m" : "\033[1m"; break;
    case 'd': seq = off ? "\033[22m" : "\033[2m"; break;
    case 'a': seq = off ? "\033(B" : "\033(0"; break;
    default: return;
    }
    out_.ensure_indent();
    out_.flush();
    out_.emit(seq);
}

std::string Engine::variable(std::string_view name, bool& found) const {
    found = false;
    if (session_ == nullptr || name.empty()) return {};
    auto it = session_->variables.find(name);
    if (it == session_->variables.end()) return {};
    found = true;
    return num_to_str(it->second, 10, kNumUnsigned);
}

void Engine::run(const char* format) {
    const char* const fend = format + std::strlen(format);
    for (;;) {
        const char* special;
        const char* p = scan_literal(format, fend, &special);
        literal(format, static_cast<size_t>(p - format), special);
        if (p == fend || p[1] == '\0') break;  // a lone '%' at the end prints nothing

        Spec sp;
        const char c = parse_spec(p, sp, [this] {
            return std::min<size_t>(static_cast<unsigned>(va_arg(args_.ap, int)), kMaxWidth);
        });
        format = p + 1;
        Field f;
        switch (c) {
        case 'a': case 'A':
            symbol(c, sp, f);
            break;
        case 'e': case 'E': case 'g': case 'G':
            floating(c, sp, f);
            break;
        case 'H': case 'I': case 'N': case 'Y':
            value_form(c, sp, f);
            break;
        case 'b': case 'm': case 't': case 'T':
            layout(c, sp);
            continue;
        case '<':
            if (!angle(p, f)) {
                format = p + 1;
                continue;
            }
            format = p + 1;
            break;
        case '\0':  // flags, then the end: nothing
            format = p;
            continue;
        default:
            convert_simple(c, sp, f);
            break;
        }
        field(sp, f);
    }
    if (collect_) commit();
}

void Engine::run_plan(const Plan& plan) {
    const char* const text = plan.text.data();
    for (const PlanOp& op : plan.ops) {
        if (op.literal) {
            literal(text + op.off, op.len, text + op.off + op.special);
        } else if (op.base > 0) {
            // A number without prefix, the common case: its digits straight into the field.
            const uint64_t v = op.conv == 'p' ? reinterpret_cast<uintptr_t>(va_arg(args_.ap, void*))
                                              : fetch_int(args_, op.spec.size, op.is_unsigned);
            char num[kNumChars];
            char* const end = num + sizeof num;
            const char* str = num_to_chars(end, v, op.base, op.numflags);
            field(op.spec, str, static_cast<size_t>(end - str), {}, false, true);
        } else if (op.base == kPlainString) {
            const char* a = va_arg(args_.ap, const char*);
            const char* str = a != nullptr ? a : "<NULL>";
            field(op.spec, str, std::strlen(str), {}, false, false);
        } else {
            Spec sp = op.spec;
            if (op.star)
                sp.width = std::min<size_t>(static_cast<unsigned>(va_arg(args_.ap, int)), kMaxWidth);
            Field f;
            convert_simple(op.conv, sp, f);
            field(sp, f);
        }
    }
    if (collect_) commit();
}

}  // namespace

// In a unity batch this file is not the main file, and gcc would take a field of this file's
// own anonymous-namespace type for a header's ODR hazard; PrintfPlans is defined only here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsubobject-linkage"
struct Session::PrintfPlans {
    PlanCache cache;
};
#pragma GCC diagnostic pop

Session::PrintfPlans& Session::printf_plans() {
    if (!printf_plans_)
        printf_plans_ = {new PrintfPlans, [](PrintfPlans* p) { delete p; }};
    return *printf_plans_;
}

void set_printf_plans(bool on) { g_plans_enabled = on; }

void forget_printf_plans(Session& s) { s.printf_plans().cache.clear(); }

PrintfPlanStats printf_plan_stats(Session& s) {
    const PlanCache& cache = s.printf_plans().cache;
    return {cache.compiled, cache.replayed};
}

void run_printf(Output& out, const char* fmt, va_list ap) {
    if (fmt == nullptr) return;
    ArgList args;
    va_copy(args.ap, ap);
    Engine engine(out, args);
    Session* session = out.session();
    if (g_plans_enabled && session != nullptr && engine.collecting()) {
        PlanCache& cache = session->printf_plans().cache;
        if (!cache.in_use) {
            if (const Plan* plan = cache.get(fmt)) {
                struct Guard {
                    PlanCache& c;
                    explicit Guard(PlanCache& pc) : c(pc) { c.in_use = true; }
                    ~Guard() { c.in_use = false; }
                } guard(cache);
                ++cache.replayed;
                engine.run_plan(*plan);
                va_end(args.ap);
                return;
            }
        }
    }
    engine.run(fmt);
    va_end(args.ap);
}

void Output::vprintf(const char* fmt, va_list ap) { run_printf(*this, fmt, ap); }

void Output::printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

}  // namespace mdbsim::host
