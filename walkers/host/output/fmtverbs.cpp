// The format verbs `/`, `\`, `?` and `=` (modapi.md §17.1–17.2) with their write and match
// forms, and their registration in the built-in module. The argv convention is documented in
// output.hpp.
#include <cerrno>
#include <cstring>
#include <vector>

#include "builtins.hpp"
#include "fmtverbs_internal.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/memory.hpp"

namespace mdbsim::host {

namespace {

enum class Space { virt, phys, file };

sim::Memory& memory_of(Session& s, Space sp) {
    return sp == Space::phys ? s.target().pmem() : s.target().vmem();
}

// INDENT on while the items print, restored afterwards even if the command is abandoned.
class IndentScope {
public:
    explicit IndentScope(Output& o) : out_(o) { out_.set_indent(true); }
    ~IndentScope() { out_.set_indent(false); }
    IndentScope(const IndentScope&) = delete;
    IndentScope& operator=(const IndentScope&) = delete;

private:
    Output& out_;
};

// A value for the write and match verbs: an immediate, or a string evaluated as an expression
// (dot is restored afterwards).
bool arg_value(Session& s, const mdb_arg_t& a, uint64_t dot, const char* what, uint64_t* v) {
    if (a.a_type == MDB_TYPE_CHAR) {
        warn(s, "expected immediate value instead of '%c'\n", a.a_un.a_char);
        return false;
    }
    if (a.a_type == MDB_TYPE_STRING) {
        if (s.eval(a.a_un.a_str) == -1) {
            warn(s, "failed to %s \"%s\"", what, a.a_un.a_str);
            s.dot = dot;
            return false;
        }
        *v = s.dot;
        s.dot = dot;
        return true;
    }
    *v = a.a_un.a_val;
    return true;
}

bool target_writable(Session& s, sim::Memory& mem) {
    return s.target().writable() && !mem.regions().empty();
}

int write_arglist(Session& s, Space sp, uint64_t addr, int argc, const mdb_arg_t* argv) {
    char verb = argv[0].a_un.a_char;
    if (argc == 1) {
        warn(s, "expected value to write following %c\n", verb);
        return DCMD_ERR;
    }
    size_t size = 0;
    switch (verb) {
    case 'v': size = 1; break;
    case 'w': size = 2; break;
    case 'W': size = 4; break;
    case 'Z': size = 8; break;
    case 'z':
        // The write size would come from the type at dot; there is no type information.
        errno = EMDB_NOCTF;
        warn(s, "no CTF data found at this address\n");
        return DCMD_ERR;
    default:
        warn(s, "invalid format character -- '%c'\n", verb);
        return DCMD_ERR;
    }
    sim::Memory& mem = memory_of(s, sp);
    for (int i = 1; i < argc; ++i) {
        uint64_t value = 0;
        if (!arg_value(s, argv[i], addr, "write", &value)) return DCMD_ERR;
        s.dot = addr;
        if (size < 8 && value >= (1ULL << (size * 8))) {
            unsigned long long needed = 0;
            for (uint64_t v = value; v != 0; v >>= 8) ++needed;
            warn(s,
                 "value too big for the length of the write: supplied %llu bytes but maximum "
                 "is %llu bytes\n",
                 needed, static_cast<unsigned long long>(size));
            return DCMD_ERR;
        }
        bool ok = false;
        if (!target_writable(s, mem)) {
            errno = EMDB_TGTRDONLY;
        } else {
            sim::Fault f = mem.write(addr, &value, size);  // little-endian: the low bytes
            if (f)
                fault_to_errno(f, addr, size);
            else
                ok = true;
        }
        if (!ok) {
            warn(s, "failed to write %llr at address 0x%llx", static_cast<unsigned long long>(value),
                 static_cast<unsigned long long>(addr));
            s.increment = 0;
            return DCMD_ERR;
        }
        s.increment = size;
        addr += size;
    }
    return DCMD_OK;
}

// Searches forward from addr for the first item with (item & mask) == value; prints its address.
uint64_t match_items(Session& s, sim::Memory& mem, uint64_t addr, size_t size, uint64_t value,
                     uint64_t mask) {
    uint64_t item_mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
    value &= item_mask;
    mask &= item_mask;
    constexpr size_t kChunk = 4096;
    std::vector<unsigned char> buf(kChunk);
    for (;;) {
        sim::Fault f = mem.read(addr, buf.data(), kChunk);
        size_t have = f ? (f.addr > addr ? static_cast<size_t>(f.addr - addr) : 0) : kChunk;
        size_t items = have / size;
        for (size_t i = 0; i < items; ++i) {
            uint64_t x = 0;
            std::memcpy(&x, &buf[i * size], size);
            if ((x & mask) == value) {
                uint64_t at = addr + i * size;
                s.out().printf("%lla\n", static_cast<unsigned long long>(at));
                return at;
            }
        }
        addr += items * size;
        if (have < kChunk) return addr;  // the next item cannot be read: no match
        s.charge_work();
    }
}

int match_arglist(Session& s, Space sp, uint_t flags, uint64_t addr, int argc,
                  const mdb_arg_t* argv) {
    char verb = argv[0].a_un.a_char;
    if (argc < 2) {
        warn(s, "expected value following %c\n", verb);
        return DCMD_ERR;
    }
    if (argc > 3) {
        warn(s, "only value and mask may follow %c\n", verb);
        return DCMD_ERR;
    }
    size_t size = verb == 'l' ? 2 : verb == 'L' ? 4 : 8;
    uint64_t args[2] = {0, ~0ULL};
    for (int i = 1; i < argc; ++i)
        if (!arg_value(s, argv[i], addr, "evaluate", &args[i - 1])) return DCMD_ERR;
    s.dot = match_items(s, memory_of(s, sp), addr, size, args[0], args[1]);
    // adb ignored a repeat count on the match verbs: stop the loop unless fed by a pipe.
    return (flags & DCMD_PIPE) ? DCMD_OK : DCMD_ABORT;
}

// Runs a format list: counts, characters and literal strings.
bool run_formats(Session& s, FormatSource& src, uint64_t* addr, int argc, const mdb_arg_t* argv,
                 bool value_mode, uint64_t start) {
    bool failed = false;
    uint64_t n = 1;
    for (int i = 0; i < argc; ++i) {
        const mdb_arg_t& a = argv[i];
        switch (a.a_type) {
        case MDB_TYPE_CHAR: {
            char c = a.a_un.a_char;
            uint64_t next = format_print(s, src, *addr, n, c, &failed);
            if (value_mode) {
                if (c == '+' || c == '-') *addr = next;
            } else {
                s.increment = next - *addr;
                *addr = next;
            }
            n = 1;
            break;
        }
        case MDB_TYPE_IMMEDIATE: n = a.a_un.a_val; break;
        case MDB_TYPE_STRING:
            s.out().puts(a.a_un.a_str ? a.a_un.a_str : "");
            n = 1;
            break;
        }
    }
    if (!value_mode) s.increment = *addr - start;
    return !failed;
}

int print_arglist(Session& s, Space sp, uint64_t addr, uint_t flags, int argc,
                  const mdb_arg_t* argv) {
    Output& out = s.out();
    if (DCMD_HDRSPEC(flags) && !(flags & DCMD_PIPE_OUT)) {
        auto is_chars = [&](const char* want) {
            for (int i = 0; want[i] != '\0'; ++i)
                if (i >= argc || argv[i].a_type != MDB_TYPE_CHAR || argv[i].a_un.a_char != want[i])
                    return false;
            return true;
        };
        bool disasm = is_chars("ai") || is_chars("ia");
        if (!disasm && sp != Space::phys) {
            const sim::Symbol* sym = s.lookup_symbol_by_addr(addr, true);
            if (sym != nullptr) out.printf("%s:\n", sym->name.c_str());
        }
        const char* fmt = is_chars("ai") ? "%-#*lla\n" : is_chars("ia") ? "%-#*lla" : "%-#*lla%16T";
        out.printf(fmt, static_cast<unsigned>(out.margin), static_cast<unsigned long long>(addr));
    }

    static const mdb_arg_t kDefault[] = {
        {MDB_TYPE_CHAR, {.a_char = 'X'}},
        {MDB_TYPE_CHAR, {.a_char = '^'}},
        {MDB_TYPE_STRING, {.a_str = "= "}},
        {MDB_TYPE_CHAR, {.a_char = 'i'}},
    };
    if (argc == 0) {
        argc = static_cast<int>(std::size(kDefault));
        argv = kDefault;
    }

    MemorySource src(memory_of(s, sp));
    bool ok;
    {
        IndentScope indent(out);
        ok = run_formats(s, src, &addr, argc, argv, false, addr);
    }
    return ok ? DCMD_OK : DCMD_ERR;
}

int print_common(Space sp, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint64_t addr = s.dot;
    if (argc < 0 || (argc > 0 && argv == nullptr)) return DCMD_USAGE;
    if (argc != 0 && argv[0].a_type == MDB_TYPE_CHAR) {
        char c = argv[0].a_un.a_char;
        if (c != '\0' && std::strchr("vwzWZ", c) != nullptr) return write_arglist(s, sp, addr, argc, argv);
        if (c != '\0' && std::strchr("lLM", c) != nullptr)
            return match_arglist(s, sp, flags, addr, argc, argv);
    }
    return print_arglist(s, sp, addr, flags, argc, argv);
}

int cmd_print_core(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    return print_common(Space::virt, flags, argc, argv);
}

int cmd_print_phys(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    return print_common(Space::phys, flags, argc, argv);
}

int cmd_print_object(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    return print_common(Space::file, flags, argc, argv);
}

int cmd_print_value(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc <= 0 || argv == nullptr) {
        warn(s, "expected one or more format characters following '='\n");
        return DCMD_ERR;
    }
    uint64_t dot = s.dot;
    ValueSource src(dot);
    bool ok;
    {
        IndentScope indent(s.out());
        ok = run_formats(s, src, &dot, argc, argv, true, dot);
    }
    s.dot = dot;
    s.increment = 0;
    return ok ? DCMD_OK : DCMD_ERR;
}

}  // namespace

void register_format_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"/", "fmt-list", "format data from virtual as", cmd_print_core, nullptr, nullptr},
        {"\\", "fmt-list", "format data from physical as", cmd_print_phys, nullptr, nullptr},
        {"@", "fmt-list", "format data from physical as", cmd_print_phys, nullptr, nullptr},
        {"?", "fmt-list", "format data from object file", cmd_print_object, nullptr, nullptr},
        {"=", "fmt-list", "format immediate value", cmd_print_value, nullptr, nullptr},
        {"formats", nullptr, "list format specifiers", cmd_formats, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
