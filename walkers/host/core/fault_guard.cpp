// Recovery from SIGSEGV and SIGBUS inside dmod code (docs/architecture.md, "Faults in dmods").
//
// Every call from the host into a loaded dmod (a dcmd, a walker's init/step/fini, _mdb_init and
// _mdb_fini, a callback) runs through guarded_call, which leaves a recovery point. A fault while
// one is active jumps back to the innermost point, which puts back the host state the frames in
// between would have restored (the executing-module stack, the activity) and throws DmodFault:
// from there the command unwinds as any stopped command does. A fault with no recovery point
// active is the host's own: the handler puts the previous disposition back (ASan's handler in a
// sanitizer build, else the default) and returns, so the instruction faults again into it.
//
// What jumping skips: the dmod's C frames (nothing to undo) and, when the fault is inside host
// code the dmod called (mdb_printf with a bad %s, a bad buffer given to mdb_vread), those host
// frames, whose heap memory is lost and whose partial output is discarded with the command's.
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <gelf.h>
#include <link.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "host_internal.hpp"

namespace mdbsim::host {
namespace {

struct RecoveryPoint {
    sigjmp_buf env;
    RecoveryPoint* prev = nullptr;
};

// What the handler saw, kept for the report. The host runs every session on one thread, so a
// plain global is enough (and safe to touch from the handler, unlike a thread_local in a
// shared object).
struct FaultInfo {
    int signal = 0;
    int code = 0;
    uintptr_t addr = 0;   // the address the access faulted on
    uintptr_t pc = 0;     // the instruction that faulted
    void* frames[48] = {};
    int nframes = 0;
};

RecoveryPoint* g_top = nullptr;
FaultInfo g_fault;
struct sigaction g_prev_segv {};
struct sigaction g_prev_bus {};
bool g_installed = false;
// Room to run the handler when the fault is a stack overflow (a dmod recursing without end).
alignas(16) char g_altstack[64 * 1024];

extern "C" void on_fault(int sig, siginfo_t* info, void* context) {
    RecoveryPoint* rp = g_top;
    if (rp == nullptr) {
        sigaction(sig, sig == SIGSEGV ? &g_prev_segv : &g_prev_bus, nullptr);
        return;
    }
    g_fault.signal = sig;
    g_fault.code = info ? info->si_code : 0;
    g_fault.addr = info ? reinterpret_cast<uintptr_t>(info->si_addr) : 0;
    const auto* uc = static_cast<const ucontext_t*>(context);
    g_fault.pc = uc ? static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]) : 0;
    g_fault.nframes = backtrace(g_fault.frames, static_cast<int>(std::size(g_fault.frames)));
    // The handler is installed with SA_NODEFER, so the signal is not blocked here and the jump
    // needs no saved mask (sigsetjmp(env, 0) is what keeps a guarded call cheap: no syscall).
    siglongjmp(rp->env, 1);
}

void install_handlers() {
    if (g_installed) return;
    g_installed = true;
    // backtrace() loads the unwinder on first use, which is not safe inside a handler.
    void* warm[2];
    backtrace(warm, 2);
    stack_t ss{};
    ss.ss_sp = g_altstack;
    ss.ss_size = sizeof g_altstack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, &g_prev_segv);
    sigaction(SIGBUS, &sa, &g_prev_bus);
}

const char* signal_name(int sig) { return sig == SIGBUS ? "BUS" : "SEGV"; }

const char* fault_reason(int sig, int code) {
    if (sig == SIGSEGV) {
        if (code == SEGV_MAPERR) return "address not mapped";
        if (code == SEGV_ACCERR) return "invalid permissions for mapped object";
    } else if (sig == SIGBUS) {
        if (code == BUS_ADRALN) return "invalid address alignment";
        if (code == BUS_ADRERR) return "nonexistent physical address";
    }
    return "memory fault";
}

// The function of an object that contains offset (relative to where the object is loaded), from
// its .symtab: dmods keep most functions static, and dladdr sees only exported symbols.
struct FunctionAt {
    std::string name;
    uint64_t offset = 0;  // of the address from the function's start
};

std::optional<FunctionAt> symtab_function(const char* path, uint64_t offset) {
    if (elf_version(EV_CURRENT) == EV_NONE) return std::nullopt;
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::optional<FunctionAt> found;
    if (Elf* elf = elf_begin(fd, ELF_C_READ, nullptr)) {
        for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr && !found; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr sh;
            if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) continue;
            Elf_Data* data = elf_getdata(scn, nullptr);
            for (size_t i = 0; data != nullptr && i < sh.sh_size / sh.sh_entsize; ++i) {
                GElf_Sym sym;
                if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr ||
                    GELF_ST_TYPE(sym.st_info) != STT_FUNC || offset < sym.st_value ||
                    offset >= sym.st_value + sym.st_size)
                    continue;
                if (const char* name = elf_strptr(elf, sh.sh_link, sym.st_name))
                    found = FunctionAt{name, offset - sym.st_value};
                break;
            }
        }
        elf_end(elf);
    }
    close(fd);
    return found;
}

// C++ names (the host's own frames, a C++ dmod's) as the user wrote them.
std::string demangled(const std::string& name) {
    int status = 0;
    char* text = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
    if (status != 0 || text == nullptr) return name;
    std::string result = text;
    std::free(text);
    return result;
}

// "module`function+0x1c" as mdb names a frame: the object's base name without ".so", then the
// function from the object's symbol table, or else the offset in the object.
std::string frame_name(uintptr_t pc) {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(pc), &info) == 0 || info.dli_fname == nullptr) return fmt::format("{:#x}", pc);
    std::string object = info.dli_fname;
    if (size_t slash = object.rfind('/'); slash != std::string::npos) object.erase(0, slash + 1);
    if (object.ends_with(".so")) object.resize(object.size() - 3);
    const uint64_t offset = pc - reinterpret_cast<uintptr_t>(info.dli_fbase);
    if (auto fn = symtab_function(info.dli_fname, offset))
        return fmt::format("{}`{}+{:#x}", object, demangled(fn->name), fn->offset);
    const auto start = reinterpret_cast<uintptr_t>(info.dli_saddr);
    if (info.dli_sname != nullptr && pc >= start) return fmt::format("{}`{}+{:#x}", object, info.dli_sname, pc - start);
    return fmt::format("{}`{:#x}", object, offset);
}

// mdb's report: the signal, the frames from the faulting instruction up to the host's call into
// the dmod, then what faulted where.
std::string fault_report(const StopSite& site) {
    std::string text = fmt::format("\n*** mdb: received signal {} at:\n", signal_name(g_fault.signal));
    // backtrace() sees the handler and the signal trampoline first: the frames worth showing start
    // after the faulting instruction's own entry and end at guarded_call. The host's frames just
    // below guarded_call are its own plumbing (not inlined in a debug build) and are left out.
    std::vector<uintptr_t> pcs{g_fault.pc};
    int i = 0;
    while (i < g_fault.nframes && reinterpret_cast<uintptr_t>(g_fault.frames[i]) != g_fault.pc) ++i;
    Dl_info host{};
    dladdr(reinterpret_cast<void*>(&guarded_call), &host);
    for (++i; i < g_fault.nframes && pcs.size() < 16; ++i) {
        Dl_info info{};
        if (dladdr(g_fault.frames[i], &info) != 0 && info.dli_saddr == reinterpret_cast<void*>(&guarded_call)) break;
        // A return address points after the call: one byte back names the calling function.
        pcs.push_back(reinterpret_cast<uintptr_t>(g_fault.frames[i]) - 1);
    }
    auto in_host = [&host](uintptr_t pc) {
        Dl_info info{};
        return dladdr(reinterpret_cast<void*>(pc), &info) != 0 && info.dli_fbase == host.dli_fbase;
    };
    while (pcs.size() > 1 && in_host(pcs.back())) pcs.pop_back();
    for (size_t n = 0; n < pcs.size(); ++n) text += fmt::format("    [{}] {}()\n", n + 1, frame_name(pcs[n]));
    text += fmt::format("mdb: SIG{} ({}) accessing {:#x} {}\n", signal_name(g_fault.signal),
                        fault_reason(g_fault.signal, g_fault.code), g_fault.addr, site.describe());
    return text;
}

}  // namespace

int guarded_call(Session& s, const Module* m, int (*call)(void*), void* arg) {
    install_handlers();
    auto& st = s.command_state();
    RecoveryPoint rp;
    rp.prev = g_top;
    const size_t executing = st.executing.size();
    const Activity activity = st.activity;
    if (sigsetjmp(rp.env, 0) != 0) {
        g_top = rp.prev;
        // The frames jumped over did not run their destructors: undo what they had set.
        StopSite where = s.stop_site();
        st.executing.resize(executing);
        st.activity = activity;
        if (where.module.empty() && m != nullptr) where.module = m->name;
        throw DmodFault(fault_report(where), where, g_fault.signal, g_fault.addr);
    }
    g_top = &rp;
    int rc;
    try {
        rc = call(arg);
    } catch (...) {
        g_top = rp.prev;
        throw;
    }
    g_top = rp.prev;
    return rc;
}

}  // namespace mdbsim::host
