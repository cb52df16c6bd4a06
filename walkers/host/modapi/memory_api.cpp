// Target memory access of the module API (modapi.md §7): virtual, physical and object-file
// address spaces, strings, and transfers at symbols.
#include <sys/mdb_modapi.h>

#include <cstring>
#include <limits>

#include "host_internal.hpp"

namespace mdbsim::host {
namespace {

enum class AddrSpace { virt, phys };

// illumos address-space cookies accepted by mdb_aread/mdb_awrite.
constexpr uintptr_t kAsVirt = static_cast<uintptr_t>(-1L);
constexpr uintptr_t kAsPhys = static_cast<uintptr_t>(-2L);
constexpr uintptr_t kAsFile = static_cast<uintptr_t>(-3L);

sim::Memory& space(Session& s, AddrSpace sp) {
    return sp == AddrSpace::phys ? s.target().pmem() : s.target().vmem();
}

ssize_t read_space(AddrSpace sp, void* buf, size_t n, uint64_t addr) {
    Session* s = current_session_fast();
    if (!s) return set_errno(EMDB_NOPROC);
    charge_work_fast(*s);
    if (n == 0) return 0;
    if (!buf || n > static_cast<size_t>(std::numeric_limits<ssize_t>::max())) return set_errno(EINVAL);
    sim::Fault f = space(*s, sp).read(addr, buf, n);
    if (f) return fault_to_errno(f, addr, n);
    return static_cast<ssize_t>(n);
}

ssize_t write_space(AddrSpace sp, const void* buf, size_t n, uint64_t addr) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    s->charge_work();
    if (!s->target().writable()) return set_errno(EMDB_TGTRDONLY);
    if (n == 0) return 0;
    if (!buf || n > static_cast<size_t>(std::numeric_limits<ssize_t>::max())) return set_errno(EINVAL);
    sim::Fault f = space(*s, sp).write(addr, buf, n);
    if (f) return fault_to_errno(f, addr, n);
    return static_cast<ssize_t>(n);
}

bool cookie_space(void* as, AddrSpace* sp) {
    auto cookie = reinterpret_cast<uintptr_t>(as);
    if (cookie == kAsVirt || cookie == kAsFile || cookie == 0) {
        *sp = AddrSpace::virt;
        return true;
    }
    if (cookie == kAsPhys) {
        *sp = AddrSpace::phys;
        return true;
    }
    return false;
}

const sim::Symbol* find_symbol(const char* name) {
    Session* s = Session::current();
    if (!s) {
        set_errno(EMDB_NOPROC);
        return nullptr;
    }
    if (!name) {
        set_errno(EINVAL);
        return nullptr;
    }
    const sim::Symbol* sym = s->lookup_symbol(name);
    if (!sym) set_errno(EMDB_NOSYM);
    return sym;
}

}  // namespace

}  // namespace mdbsim::host

using namespace mdbsim::host;

extern "C" {

ssize_t mdb_vread(void* buf, size_t n, uintptr_t addr) { return read_space(AddrSpace::virt, buf, n, addr); }
ssize_t mdb_vwrite(const void* buf, size_t n, uintptr_t addr) {
    return write_space(AddrSpace::virt, buf, n, addr);
}

// The simulated kernel is its own object file: file-space transfers address the kernel image.
ssize_t mdb_fread(void* buf, size_t n, uintptr_t addr) { return read_space(AddrSpace::virt, buf, n, addr); }
ssize_t mdb_fwrite(const void* buf, size_t n, uintptr_t addr) {
    return write_space(AddrSpace::virt, buf, n, addr);
}

ssize_t mdb_pread(void* buf, size_t n, uint64_t addr) { return read_space(AddrSpace::phys, buf, n, addr); }
ssize_t mdb_pwrite(const void* buf, size_t n, uint64_t addr) {
    return write_space(AddrSpace::phys, buf, n, addr);
}

ssize_t mdb_aread(void* buf, size_t n, uintptr_t addr, void* as) {
    AddrSpace sp;
    if (!cookie_space(as, &sp)) return set_errno(EMDB_TGTNOTSUP);
    return read_space(sp, buf, n, addr);
}

ssize_t mdb_awrite(const void* buf, size_t n, uintptr_t addr, void* as) {
    AddrSpace sp;
    if (!cookie_space(as, &sp)) return set_errno(EMDB_TGTNOTSUP);
    return write_space(sp, buf, n, addr);
}

ssize_t mdb_ioread(void*, size_t, uintptr_t) { return set_errno(EMDB_TGTNOTSUP); }
ssize_t mdb_iowrite(const void*, size_t, uintptr_t) { return set_errno(EMDB_TGTNOTSUP); }

ssize_t mdb_readstr(char* buf, size_t n, uintptr_t addr) {
    if (!buf && n > 0) return set_errno(EINVAL);
    if (n == 0) return 0;
    if (read_space(AddrSpace::virt, buf, n, addr) == static_cast<ssize_t>(n)) {
        buf[n - 1] = '\0';
        return static_cast<ssize_t>(std::strlen(buf));
    }
    // Byte by byte up to a NUL, the last byte of the buffer, or the first unreadable byte.
    size_t len = 0;
    for (; len + 1 < n; ++len) {
        if (read_space(AddrSpace::virt, buf + len, 1, addr + len) != 1) {
            if (len == 0) return -1;
            break;
        }
        if (buf[len] == '\0') return static_cast<ssize_t>(len);
    }
    buf[len] = '\0';
    return static_cast<ssize_t>(len);
}

ssize_t mdb_writestr(const char* str, uintptr_t addr) {
    if (!str) return set_errno(EINVAL);
    size_t len = std::strlen(str);
    if (write_space(AddrSpace::virt, str, len + 1, addr) != static_cast<ssize_t>(len + 1)) return -1;
    return static_cast<ssize_t>(len);
}

ssize_t mdb_readsym(void* buf, size_t n, const char* name) {
    const mdbsim::sim::Symbol* sym = find_symbol(name);
    if (!sym) return -1;
    return read_space(AddrSpace::virt, buf, n, sym->value());
}

ssize_t mdb_writesym(const void* buf, size_t n, const char* name) {
    const mdbsim::sim::Symbol* sym = find_symbol(name);
    if (!sym) return -1;
    return write_space(AddrSpace::virt, buf, n, sym->value());
}

ssize_t mdb_readvar(void* buf, const char* name) {
    const mdbsim::sim::Symbol* sym = find_symbol(name);
    if (!sym) return -1;
    size_t n = sym->size();
    if (read_space(AddrSpace::virt, buf, n, sym->value()) != static_cast<ssize_t>(n)) return -1;
    return static_cast<ssize_t>(n);
}

ssize_t mdb_writevar(const void* buf, const char* name) {
    const mdbsim::sim::Symbol* sym = find_symbol(name);
    if (!sym) return -1;
    size_t n = sym->size();
    if (write_space(AddrSpace::virt, buf, n, sym->value()) != static_cast<ssize_t>(n)) return -1;
    return static_cast<ssize_t>(n);
}

}  // extern "C"
