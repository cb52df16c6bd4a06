// Printing the items of one format character (modapi.md §17.3), from target memory or from
// dot's value.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "disasm.hpp"
#include "fmtverbs_internal.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/memory.hpp"

namespace mdbsim::host {

// ---- sources ----

ssize_t MemorySource::read(void* buf, size_t n, uint64_t addr) {
    if (n == 0) return 0;
    sim::Fault f = mem_.read(addr, buf, n);
    if (f) return fault_to_errno(f, addr, n);
    return static_cast<ssize_t>(n);
}

ssize_t MemorySource::readstr(char* buf, size_t n, uint64_t addr) {
    if (n == 0) return 0;
    size_t len = 0;
    while (len + 1 < n) {
        char c;
        sim::Fault f = mem_.read(addr + len, &c, 1);
        if (f) {
            if (len == 0) return fault_to_errno(f, addr, 1);
            break;
        }
        if (c == '\0') break;
        buf[len++] = c;
    }
    buf[len] = '\0';
    return static_cast<ssize_t>(len);
}

ssize_t ValueSource::read(void* buf, size_t n, uint64_t) {
    size_t m = std::min(n, sizeof value_);
    std::memcpy(buf, &value_, m);  // little-endian: the low-order bytes come first
    return static_cast<ssize_t>(m);
}

ssize_t ValueSource::readstr(char* buf, size_t n, uint64_t) {
    if (n == 0) return 0;
    char bytes[sizeof value_ + 1] = {};
    std::memcpy(bytes, &value_, sizeof value_);
    size_t len = std::min(std::strlen(bytes), n - 1);
    std::memcpy(buf, bytes, len);
    buf[len] = '\0';
    return static_cast<ssize_t>(len);
}

namespace {

// Autowrap is forced on for the items of every format character but `j` (§12.1).
class ForcedAutowrap {
public:
    ForcedAutowrap(Output& o, bool on) : out_(o), saved_(o.force_autowrap) {
        if (on) out_.force_autowrap = true;
    }
    ~ForcedAutowrap() { out_.force_autowrap = saved_; }
    ForcedAutowrap(const ForcedAutowrap&) = delete;
    ForcedAutowrap& operator=(const ForcedAutowrap&) = delete;

private:
    Output& out_;
    bool saved_;
};

// INDENT off for the duration (the `a`, `s`, `S`, `I` characters print at the left edge).
class NoIndent {
public:
    explicit NoIndent(Output& o) : out_(o), saved_(o.indent) { out_.set_indent(false); }
    ~NoIndent() { out_.set_indent(saved_); }
    NoIndent(const NoIndent&) = delete;
    NoIndent& operator=(const NoIndent&) = delete;

private:
    Output& out_;
    bool saved_;
};

void read_failed(Session& s) { warn(s, "failed to read data from target"); }

void set_rvalue(Session& s, uint64_t v) { s.variables["0"] = v; }

template <class T>
bool read_item(Session& s, FormatSource& src, uint64_t addr, T* v) {
    if (src.read(v, sizeof *v, addr) != static_cast<ssize_t>(sizeof *v)) {
        read_failed(s);
        return false;
    }
    return true;
}

uint64_t print_printf(Session& s, FormatSource& src, uint64_t addr, uint64_t count,
                      const FormatChar& f) {
    Output& out = s.out();
    for (; count != 0; --count) {
        uint64_t raw = 0;
        if (src.read(&raw, f.size, addr) != static_cast<ssize_t>(f.size)) {
            read_failed(s);
            return addr;
        }
        if (f.is_float) {
            double d;
            std::memcpy(&d, &raw, sizeof d);
            out.printf(f.printf_fmt, d);
        } else if (f.size == 8) {
            out.printf(f.printf_fmt, static_cast<unsigned long long>(raw));
        } else {
            out.printf(f.printf_fmt, static_cast<unsigned>(raw));
        }
        set_rvalue(s, raw);
        addr += f.size;
        s.charge_work();
    }
    return addr;
}

uint64_t print_dot(Session& s, uint64_t addr, uint64_t count) {
    Output& out = s.out();
    NoIndent no_indent(out);
    for (; count != 0; --count) {
        s.charge_work();
        out.printf("%-#16lla%16T", static_cast<unsigned long long>(addr));
    }
    set_rvalue(s, addr);
    return addr;
}

uint64_t print_strings(Session& s, FormatSource& src, uint64_t addr, uint64_t count,
                       bool escaped) {
    Output& out = s.out();
    NoIndent no_indent(out);
    std::vector<char> buf(1024);
    for (; count != 0; --count, ++addr) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        for (;;) {
            ssize_t n = src.readstr(buf.data(), buf.size(), addr);
            if (n < 0) {
                read_failed(s);
                return addr;
            }
            std::string_view text(buf.data(), static_cast<size_t>(n));
            if (escaped)
                out.puts(escape_bytes(text));
            else
                out.puts(text);
            addr += static_cast<uint64_t>(n);
            // A string longer than the buffer continues from where this piece stopped.
            if (static_cast<size_t>(n) < buf.size() - 1) break;
            s.charge_work();
        }
        if (count != 1) out.puts("\\0");
    }
    return addr;
}

uint64_t print_escaped_chars(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    // The count is the number of bytes; an absurd count reads only what memory holds.
    constexpr uint64_t kMaxChars = 1 << 20;
    size_t n = static_cast<size_t>(std::min(count, kMaxChars));
    if (n == 0) return addr;  // a count of 0: nothing to read (and no buffer to read into)
    std::vector<char> buf(n);
    ssize_t got = src.read(buf.data(), n, addr);
    if (got < 0 && errno == EMDB_PARTIAL) {
        // Print the bytes that do exist, as mdb does with a short read.
        size_t have = 0;
        while (have < n && src.read(&buf[have], 1, addr + have) == 1) ++have;
        got = static_cast<ssize_t>(have);
    }
    if (got > 0) {
        s.out().puts(escape_bytes(std::string_view(buf.data(), static_cast<size_t>(got))));
        addr += static_cast<uint64_t>(got);
    }
    return addr;
}

uint64_t print_hex64(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        uint64_t x;
        if (!read_item(s, src, addr, &x)) return addr;
        s.out().printf((x >> 60) != 0 ? "%-17llx" : "%-16llx", static_cast<unsigned long long>(x));
        set_rvalue(s, x);
        addr += 8;
    }
    return addr;
}

uint64_t print_binary(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        uint64_t x;
        if (!read_item(s, src, addr, &x)) return addr;
        std::string digits = num_to_str(x, 2, kNumUnsigned);
        s.out().printf((x >> 63) != 0 ? "%-65s" : "%-64s", digits.c_str());
        set_rvalue(s, x);
        addr += 8;
    }
    return addr;
}

// mdb's layout: the binary digits; a line of arms, one '|' per set bit above the lowest and the
// lowest's own; then, lowest set bit first, the arms of the bits above it, an elbow and a forearm
// of bit + 2 dashes, " bit N", one more blank when N has one digit and the highest set bit two,
// and the mask in (highest bit / 4 + 1) hex digits. Every line ends in a newline, so a format
// character after `j` starts a line of its own.
std::string jazzed_binary(uint64_t x) {
    std::string out = num_to_str(x, 2, kNumUnsigned) + '\n';
    if (x == 0) return out;
    const int top = 63 - __builtin_clzll(x);
    const int low = __builtin_ctzll(x);
    const int mask_width = top / 4 + 1;
    auto arms_above = [&](int bit) {
        std::string a;
        for (int b = top; b > bit; --b) a += ((x >> b) & 1) ? '|' : ' ';
        return a;
    };
    out += arms_above(low);
    out += "|\n";
    for (int bit = low; bit <= top; ++bit) {
        if (((x >> bit) & 1) == 0) continue;
        out += arms_above(bit);
        out += '+';
        out.append(static_cast<size_t>(bit) + 2, '-');
        out += fmt::format(" bit {} {}mask 0x{:0{}x}", bit, bit < 10 && top >= 10 ? " " : "", 1ULL << bit, mask_width);
        out += '\n';
    }
    return out;
}

// `i`: each instruction on a line of its own; `I`: its address and first four bytes too, with
// INDENT off. Stops where the disassembler cannot go on.
uint64_t print_instructions(Session& s, FormatSource& src, uint64_t addr, uint64_t count, bool with_address) {
    Output& out = s.out();
    const bool saved_indent = out.indent;
    if (with_address) out.indent = false;
    auto reader = [&src](void* buf, size_t n, uint64_t a) -> size_t {
        for (size_t want = n; want > 0; --want) {
            const ssize_t got = src.read(buf, want, a);
            if (got > 0) return static_cast<size_t>(got);
        }
        return 0;
    };
    for (; count != 0; --count) {
        s.charge_work();
        uint32_t first = 0;
        if (with_address && !read_item(s, src, addr, &first)) break;
        auto ins = disassemble(s, addr, reader);
        if (!ins) break;
        if (with_address)
            out.printf("%lx %x: %s\n", static_cast<unsigned long>(addr), first, ins->text.c_str());
        else
            out.printf("%s\n", ins->text.c_str());
        addr += ins->length;
    }
    out.indent = saved_indent;
    return addr;
}

uint64_t print_jazzed(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        uint64_t x;
        if (!read_item(s, src, addr, &x)) return addr;
        s.out().puts(jazzed_binary(x));
        set_rvalue(s, x);
        addr += 8;
    }
    return addr;
}

uint64_t print_swapped(Session& s, FormatSource& src, uint64_t addr, uint64_t count, size_t size) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        uint64_t x = 0;
        if (size == 2) {
            uint16_t v;
            if (!read_item(s, src, addr, &v)) return addr;
            x = __builtin_bswap16(v);
            s.out().printf("%-8x", static_cast<unsigned>(x));
        } else {
            uint32_t v;
            if (!read_item(s, src, addr, &v)) return addr;
            x = __builtin_bswap32(v);
            s.out().printf("%-16x", static_cast<unsigned>(x));
        }
        set_rvalue(s, x);
        addr += size;
    }
    return addr;
}

uint64_t print_time(Session& s, FormatSource& src, uint64_t addr, uint64_t count, size_t size) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        if (size == 4) {
            int32_t v;
            if (!read_item(s, src, addr, &v)) return addr;
            s.out().printf("%-24Y", static_cast<long>(v));
            set_rvalue(s, static_cast<uint64_t>(static_cast<int64_t>(v)));
        } else {
            int64_t v;
            if (!read_item(s, src, addr, &v)) return addr;
            time_t t = static_cast<time_t>(v);
            struct tm tm {};
            if (localtime_r(&t, &tm) != nullptr)
                s.out().printf("%-24Y", static_cast<long>(v));
            else
                s.out().printf("%-24llR", static_cast<long long>(v));
            set_rvalue(s, static_cast<uint64_t>(v));
        }
        addr += size;
    }
    return addr;
}

uint64_t print_signed_byte(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        int8_t v;
        if (!read_item(s, src, addr, &v)) return addr;
        s.out().printf("%-8d", static_cast<int>(v));
        set_rvalue(s, static_cast<uint8_t>(v));
        addr += 1;
    }
    return addr;
}

uint64_t print_float(Session& s, FormatSource& src, uint64_t addr, uint64_t count) {
    for (; count != 0; --count) {
        s.charge_work();  // one unit per item: a huge count cannot run unbounded
        float v;
        if (!read_item(s, src, addr, &v)) return addr;
        s.out().printf("%e", static_cast<double>(v));
        addr += sizeof v;
    }
    return addr;
}

uint64_t print_func(Session& s, FormatSource& src, uint64_t addr, uint64_t count, char c,
                    bool* failed) {
    Output& out = s.out();
    switch (c) {
    case '+': return addr + count;
    case '-': return addr - count;
    case '^': return addr - s.increment * count;
    case 'N':
    case 'n':
        for (; count != 0; --count) {
            s.charge_work();
            out.newline();
        }
        return addr;
    case 'r': out.whitespace(static_cast<size_t>(std::min<uint64_t>(count, 1 << 16))); return addr;
    case 'T':
    case 't': {
        size_t stop = static_cast<size_t>(std::min<uint64_t>(count, out.columns() - 1));
        out.tab(stop);
        return addr;
    }
    case 'a': return print_dot(s, addr, count);
    case 'C': return print_escaped_chars(s, src, addr, count);
    case 'S': return print_strings(s, src, addr, count, true);
    case 's': return print_strings(s, src, addr, count, false);
    case 'H': return print_swapped(s, src, addr, count, 4);
    case 'h': return print_swapped(s, src, addr, count, 2);
    case 'J':
    case 'K':
    case 'Z': return print_hex64(s, src, addr, count);
    case 'R': return print_binary(s, src, addr, count);
    case 'j': return print_jazzed(s, src, addr, count);
    case 'Y': return print_time(s, src, addr, count, 4);
    case 'y': return print_time(s, src, addr, count, 8);
    case 'v': return print_signed_byte(s, src, addr, count);
    case 'f': return print_float(s, src, addr, count);
    case 'i': return print_instructions(s, src, addr, count, false);
    case 'I': return print_instructions(s, src, addr, count, true);
    default:
        warn(s, "invalid format character -- '%c'\n", c);
        return addr;
    }
}

}  // namespace

uint64_t format_print(Session& s, FormatSource& src, uint64_t addr, uint64_t count, char c,
                      bool* failed) {
    const FormatChar& f = format_char(c);
    ForcedAutowrap wrap(s.out(), c != 'j');
    switch (f.kind) {
    case FormatKind::printf: return print_printf(s, src, addr, count, f);
    case FormatKind::func: return print_func(s, src, addr, count, c, failed);
    case FormatKind::match:
    case FormatKind::none:
    default:
        if (c >= 0x20 && c < 0x7f)
            warn(s, "invalid format character -- '%c'\n", c);
        else
            warn(s, "invalid format character -- '\\%03o'\n", static_cast<unsigned char>(c));
        return addr;
    }
}

}  // namespace mdbsim::host
