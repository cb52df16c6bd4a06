// Disassembly: ::dis, ::disasms, ::dismode and $V, and the decoder behind the `i` and `I` format
// characters. Capstone (Debian libcapstone-dev) decodes the bytes; the text is laid out as mdb's
// amd64 disassembler prints it (docs/decisions.md): the mnemonic padded to six columns and a
// blank, operands in AT&T order joined by ',' without blanks, branch targets as a signed
// displacement from the next instruction, small negative immediates as -0x.., and "\t<symbol>"
// after an operand that names an address (a branch target, a %rip-relative operand, an
// immediate or absolute offset that falls inside a symbol).
#include <sys/mdb_modapi.h>

#include <capstone/capstone.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "builtins.hpp"
#include "disasm.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {


const DisassemblerInfo kDisassemblers[] = {
    {"amd64", "AMD64 and IA32e 64-bit disassembler"},
    {"default", "default no-op disassembler"},
    {"ia32", "Intel 32-bit disassembler"},
};

// One Capstone handle per mode, opened on first use and kept for the process.
csh handle_for(bool mode64) {
    struct Handle {
        csh h = 0;
        bool ok = false;
        explicit Handle(cs_mode mode) {
            ok = cs_open(CS_ARCH_X86, mode, &h) == CS_ERR_OK;
            if (ok) {
                cs_option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
                cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
            }
        }
        ~Handle() {
            if (ok) cs_close(&h);
        }
    };
    static Handle h64(CS_MODE_64), h32(CS_MODE_32);
    const Handle& h = mode64 ? h64 : h32;
    return h.ok ? h.h : 0;
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

uint64_t mask_for(unsigned bytes) { return bytes >= 8 ? ~uint64_t{0} : (uint64_t{1} << (bytes * 8)) - 1; }

// illumos dis prints these immediates unsigned whatever their value.
bool unsigned_op(std::string_view mnemonic) {
    static constexpr std::string_view kOps[] = {"or",  "and", "xor", "test", "in",  "out", "lcall", "ljmp", "rcr",
                                                "rcl", "ror", "rol", "shl",  "shr", "sal", "psr",   "psl"};
    for (std::string_view op : kOps)
        if (mnemonic.substr(0, op.size()) == op) return true;
    return false;
}

// An immediate or displacement: a small negative immediate (down to -255) and any negative
// displacement print as -0x..; a displacement carries its sign either way.
std::string number(uint64_t value, uint64_t mask, bool displacement, bool allow_negative, bool* negative) {
    // (Built with append: gcc 12 misreads `"-" + std::string` as an overlapping memcpy.)
    const int64_t sv = static_cast<int64_t>(value);
    std::string out;
    if (allow_negative && sv < 0 && (displacement || sv >= -255)) {
        if (negative) *negative = true;
        out.push_back('-');
        out.append(hex(static_cast<uint64_t>(-sv) & mask));
        return out;
    }
    if (displacement) out.push_back('+');
    out.append(hex(value & mask));
    return out;
}

// "<sym+off>" when a symbol contains the address (mdb's %a), else nothing.
std::optional<std::string> symbol_at(Session& s, uint64_t addr) {
    const sim::Symbol* sym = s.lookup_symbol_by_addr(addr, false);
    if (!sym || (sym->size() == 0 && sym->value() != addr)) return std::nullopt;
    char buf[512];
    mdb_snprintf(buf, sizeof buf, "%a", static_cast<uintptr_t>(addr));
    return std::string(buf);
}

std::string address_text(uint64_t addr) {
    char buf[512];
    mdb_snprintf(buf, sizeof buf, "%a", static_cast<uintptr_t>(addr));
    return buf;
}

bool is_branch(const cs_insn& insn) {
    const cs_detail* d = insn.detail;
    for (uint8_t g = 0; g < d->groups_count; ++g)
        if (d->groups[g] == X86_GRP_JUMP || d->groups[g] == X86_GRP_CALL) return true;
    return false;
}

std::string mnemonic_of(const cs_insn& insn) {
    std::string m = insn.mnemonic;
    // Capstone's AT&T names for the 64-bit near forms; illumos dis prints them without the 'q'.
    if (m == "callq" || m == "retq" || m == "jmpq" || m == "leaveq") m.pop_back();
    return m;
}

Instruction format(Session& s, csh h, const cs_insn& insn, uint64_t addr, bool mode64) {
    const cs_x86& x = insn.detail->x86;
    const std::string mnem = mnemonic_of(insn);
    const uint64_t next = addr + insn.size;
    const uint64_t addr_mask = mode64 ? ~uint64_t{0} : 0xffffffffULL;
    std::string ops;
    std::optional<uint64_t> target, reltarget;  // mdb's tgt and reltgt
    std::optional<uint64_t> positive;           // the positive form of a negative immediate
    uint64_t positive_mask = 0;
    const bool branch = is_branch(insn);
    for (uint8_t i = 0; i < x.op_count; ++i) {
        const cs_x86_op& op = x.operands[i];
        if (i) ops += ',';
        switch (op.type) {
        case X86_OP_REG:
            if (branch) ops += '*';
            ops += '%';
            ops += cs_reg_name(h, op.reg);
            break;
        case X86_OP_IMM: {
            const uint64_t v = static_cast<uint64_t>(op.imm);
            if (branch) {
                // Relative branch: the displacement from the next instruction, and where it goes.
                const uint64_t disp = (v - next) & addr_mask;
                const uint64_t sdisp = mode64 ? disp : static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(disp)));
                ops += number(sdisp, addr_mask, true, true, nullptr);
                reltarget = v & addr_mask;
            } else {
                bool neg = false;
                const uint64_t mask = mask_for(op.size ? op.size : 8);
                ops += '$';
                ops += number(v, mask, false, !unsigned_op(mnem), &neg);
                target = v;
                if (neg) {
                    positive = v;
                    positive_mask = mask;
                }
            }
            break;
        }
        case X86_OP_MEM: {
            if (branch) ops += '*';
            if (op.mem.segment != X86_REG_INVALID) {
                ops += '%';
                ops += cs_reg_name(h, op.mem.segment);
                ops += ':';
            }
            const uint64_t disp = static_cast<uint64_t>(op.mem.disp);
            if (op.mem.base == X86_REG_RIP || op.mem.base == X86_REG_EIP) {
                ops += number(disp, addr_mask, true, true, nullptr);
                ops += op.mem.base == X86_REG_RIP ? "(%rip)" : "(%eip)";
                reltarget = (next + disp) & addr_mask;
                break;
            }
            if (op.mem.base == X86_REG_INVALID && op.mem.index == X86_REG_INVALID) {
                // An absolute offset: an address, so a symbol may name it.
                ops += hex(disp & addr_mask);
                target = disp & addr_mask;
                break;
            }
            if (disp != 0) {
                if (static_cast<int64_t>(disp) < 0) {
                    ops += '-';
                    ops += hex(0 - disp);
                } else {
                    ops += hex(disp);
                }
            }
            ops += '(';
            if (op.mem.base != X86_REG_INVALID) {
                ops += '%';
                ops += cs_reg_name(h, op.mem.base);
            }
            if (op.mem.index != X86_REG_INVALID) {
                ops += ",%";
                ops += cs_reg_name(h, op.mem.index);
                ops += ',';
                ops += std::to_string(op.mem.scale);
            }
            ops += ')';
            break;
        }
        default:
            break;
        }
    }
    char head[64];
    std::snprintf(head, sizeof head, "%-6s ", mnem.c_str());
    std::string text = head + ops;
    auto annotate = [&text](const std::string& what) {
        text += "\t<";
        text += what;
        text += '>';
    };
    if (target && *target != 0) {
        if (auto sym = symbol_at(s, *target)) annotate(*sym);
        if (positive) annotate(hex(*positive & positive_mask));
    }
    if (reltarget && *reltarget != 0) annotate(address_text(*reltarget));
    return Instruction{insn.size, text};
}

}  // namespace

const DisassemblerInfo* disassemblers(size_t* count) {
    *count = std::size(kDisassemblers);
    return kDisassemblers;
}

std::optional<Instruction> disassemble(Session& s, uint64_t addr, const InstructionReader& read) {
    const std::string& mode = s.settings.dismode;
    if (mode == "default") return std::nullopt;  // mdb's no-op disassembler decodes nothing
    const bool mode64 = mode != "ia32";
    uint8_t bytes[16];
    const size_t n = read(bytes, sizeof bytes, addr);
    if (n == 0) return std::nullopt;
    csh h = handle_for(mode64);
    if (!h) return std::nullopt;
    cs_insn* insn = nullptr;
    const size_t got = cs_disasm(h, bytes, n, addr, 1, &insn);
    if (got == 0) {
        // Bytes that do not decode: mdb says so and moves on by one byte.
        return Instruction{1, "***ERROR--unknown op code***"};
    }
    std::unique_ptr<cs_insn, void (*)(cs_insn*)> hold(insn, [](cs_insn* p) { cs_free(p, 1); });
    return format(s, h, *insn, addr, mode64);
}

namespace {

// ---- ::dis ----

size_t read_target(void* buf, size_t n, uint64_t addr) {
    // A whole chunk if possible, else byte by byte up to the first hole (an instruction may end
    // just before unmapped memory).
    if (mdb_vread(buf, n, static_cast<uintptr_t>(addr)) == static_cast<ssize_t>(n)) return n;
    size_t got = 0;
    for (; got < n; ++got)
        if (mdb_vread(static_cast<char*>(buf) + got, 1, static_cast<uintptr_t>(addr + got)) != 1) break;
    return got;
}

// The instruction at addr, warning once per command about an unreadable address.
std::optional<Instruction> instruction_at(Session& s, uint64_t addr, bool* warned) {
    size_t probe = 0;
    auto reader = [&probe](void* buf, size_t n, uint64_t a) {
        probe = read_target(buf, n, a);
        return probe;
    };
    auto ins = disassemble(s, addr, reader);
    if (!ins && probe == 0 && s.settings.dismode != "default" && !*warned) {
        *warned = true;
        mdb_warn("failed to read instruction at %#lr", static_cast<unsigned long>(addr));
    }
    return ins;
}

// The address n instructions before addr: the nearest start from which decoding lands exactly
// on addr after n instructions (or as many as can be found).
uint64_t previous_instructions(Session& s, uint64_t addr, uint64_t n) {
    uint64_t best = addr;
    uint64_t best_count = 0;
    bool quiet = true;
    const uint64_t reach = std::min<uint64_t>(n * 15, addr);
    for (uint64_t back = 1; back <= reach; ++back) {
        uint64_t a = addr - back, count = 0;
        while (a < addr) {
            auto ins = instruction_at(s, a, &quiet);
            if (!ins) break;
            a += ins->length;
            ++count;
        }
        if (a != addr || count > n) continue;
        if (count > best_count) {
            best = addr - back;
            best_count = count;
        }
        if (count == n) break;
    }
    return best;
}

void print_line(Output& out, uint64_t addr, const std::string& text, bool opt_a, bool opt_b) {
    if (opt_a)
        out.printf("%-#32p%8T%s\n", reinterpret_cast<void*>(addr), text.c_str());
    else if (opt_b)
        out.printf("%-#10p%-#32a%8T%s\n", reinterpret_cast<void*>(addr), static_cast<uintptr_t>(addr), text.c_str());
    else
        out.printf("%-#32a%8T%s\n", static_cast<uintptr_t>(addr), text.c_str());
}

int cmd_dis(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t opt_f = 0, opt_w = 0, opt_a = 0, opt_b = 0;
    uintptr_t n = ~uintptr_t{0};
    const int i = mdb_getopts(argc, argv, 'f', MDB_OPT_SETBITS, 1u, &opt_f, 'w', MDB_OPT_SETBITS, 1u, &opt_w, 'a',
                              MDB_OPT_SETBITS, 1u, &opt_a, 'b', MDB_OPT_SETBITS, 1u, &opt_b, 'n', MDB_OPT_UINTPTR,
                              &n, NULL);
    uint64_t start = addr;
    if (i != argc) {
        if (argc - i != 1) return DCMD_USAGE;
        if (argv[i].a_type == MDB_TYPE_STRING) {
            const char* text = argv[i].a_un.a_str;
            if (text[0] == '-') return DCMD_USAGE;
            if (text[0] >= '0' && text[0] <= '9') {
                start = mdb_strtoull(text);
            } else if (const sim::Symbol* sym = s.lookup_symbol(text)) {
                start = sym->value();
            } else {
                warn(s, "symbol '%s' not found\n", text);
                return DCMD_ERR;
            }
        } else {
            start = argv[i].a_un.a_val;
        }
    }
    // A function given by address or name is disassembled whole; anything else gets a window.
    uint64_t end = 0;
    if (!opt_w && (argc != i || (flags & DCMD_ADDRSPEC))) {
        const sim::Symbol* sym = s.lookup_symbol_by_addr(start, true);
        if (sym && GELF_ST_TYPE(sym->sym.st_info) == STT_FUNC) {
            if (sym->size() != 0) end = start + sym->size();
        } else {
            opt_w = 1;
        }
    }
    if (flags & DCMD_LOOP) opt_w = 0;
    if (n != ~uintptr_t{0})
        end = 0;
    else
        n = 10;
    // -f reads the object file; a crash dump's object file is its memory image, so both read
    // the target's memory.
    (void)opt_f;
    Output& out = s.out();
    bool warned = false;
    uint64_t a = start;
    if (!opt_w) {
        uint64_t left = n + 1;
        while ((end == 0 && left-- != 0) || a < end) {
            s.charge_work();
            auto ins = instruction_at(s, a, &warned);
            if (!ins) return DCMD_ERR;
            print_line(out, a, ins->text, opt_a, opt_b);
            a += ins->length;
        }
    } else {
        for (uint64_t p = previous_instructions(s, start, n); p < start;) {
            s.charge_work();
            auto ins = instruction_at(s, p, &warned);
            if (!ins) return DCMD_ERR;
            print_line(out, p, ins->text, opt_a, opt_b);
            p += ins->length;
        }
        auto ins = instruction_at(s, start, &warned);
        if (!ins) return DCMD_ERR;
        out.printf("%<b>");
        out.flush();
        std::string text = ins->text;
        if (opt_a)
            out.printf("%-#32p%8T%s", reinterpret_cast<void*>(start), text.c_str());
        else if (opt_b)
            out.printf("%-#10p%-#32a%8T%s", reinterpret_cast<void*>(start), static_cast<uintptr_t>(start), text.c_str());
        else
            out.printf("%-#32a%8T%s", static_cast<uintptr_t>(start), text.c_str());
        out.printf("%</b>\n");
        a = start + ins->length;
        for (uint64_t left = n; left-- != 0;) {
            s.charge_work();
            auto next = instruction_at(s, a, &warned);
            if (!next) return DCMD_ERR;
            print_line(out, a, next->text, opt_a, opt_b);
            a += next->length;
        }
    }
    mdb_set_dot(static_cast<uintptr_t>(a));
    return DCMD_OK;
}

void help_dis() {
    current_session().out().puts(
        "-a     print addresses as numbers, not symbols\n"
        "-b     print both the address and its symbol\n"
        "-f     read the object file (a crash dump's object file is its memory image)\n"
        "-w     show a window of instructions around addr, not the whole function\n"
        "-n cnt number of instructions in the window (default 10)\n"
        "With an address that is a function symbol, the whole function is disassembled.\n");
}

// ---- ::disasms ::dismode $V ----

int cmd_disasms(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    for (const DisassemblerInfo& d : kDisassemblers) current_session().out().printf("%-24s - %s\n", d.name, d.description);
    return DCMD_OK;
}

int cmd_dismode(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if ((flags & DCMD_ADDRSPEC) || argc > 1) return DCMD_USAGE;
    if (argc != 0) {
        const std::string name = argv[0].a_type == MDB_TYPE_STRING ? std::string(argv[0].a_un.a_str)
                                                                    : std::to_string(argv[0].a_un.a_val);
        auto hit = std::find_if(std::begin(kDisassemblers), std::end(kDisassemblers),
                                [&](const DisassemblerInfo& d) { return name == d.name; });
        if (hit == std::end(kDisassemblers)) {
            errno = EMDB_NODIS;
            mdb_warn("failed to set disassembly mode");
            return DCMD_ERR;
        }
        s.settings.dismode = hit->name;
    }
    for (const DisassemblerInfo& d : kDisassemblers)
        if (s.settings.dismode == d.name) s.out().printf("disassembly mode is %s (%s)\n", d.name, d.description);
    return DCMD_OK;
}

}  // namespace

void register_dis_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"dis", "?[-abfw] [-n cnt] [addr]", "disassemble near addr", cmd_dis, help_dis, nullptr},
        {"disasms", nullptr, "list available disassemblers", cmd_disasms, nullptr, nullptr},
        {"dismode", "[mode]", "get/set disassembly mode", cmd_dismode, nullptr, nullptr},
        {"$V", "[mode]", "get/set disassembly mode", cmd_dismode, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
