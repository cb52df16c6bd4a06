// Symbol and object queries of the module API (modapi.md §7), and the register/thread queries a
// crash-dump target cannot answer.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "host_internal.hpp"

namespace mdbsim::host {
namespace {

const char* const kObjExec = nullptr;
const char* const kObjRtld = reinterpret_cast<const char*>(1L);
const char* const kObjEvery = reinterpret_cast<const char*>(-1L);

// The object a kernel target calls "the executable" and "the runtime linker".
std::string resolve_object(const sim::SymbolTable& t, const char* obj) {
    if (obj == kObjExec) {
        if (t.has_object("unix")) return "unix";
        auto objs = t.objects();
        return objs.empty() ? std::string("unix") : objs.front();
    }
    if (obj == kObjRtld) return "krtld";
    return obj;
}

bool binding_matches(const GElf_Sym& sym, uint_t type) {
    unsigned bind = GELF_ST_BIND(sym.st_info);
    unsigned kind = GELF_ST_TYPE(sym.st_info);
    uint_t bind_bit = bind < 3 ? (1u << bind) : 0;
    uint_t type_bit = kind < 7 ? (0x100u << kind) : 0;
    return (type & bind_bit) && (type & type_bit);
}

}  // namespace
}  // namespace mdbsim::host

using namespace mdbsim::host;
namespace sim = mdbsim::sim;

extern "C" {

int mdb_lookup_by_obj(const char* obj, const char* name, GElf_Sym* sym) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!name) return set_errno(EINVAL);
    const sim::SymbolTable& t = s->target().symbols();
    const sim::Symbol* found = nullptr;
    if (obj == kObjEvery) {
        found = s->lookup_symbol(name);
    } else {
        std::string object = resolve_object(t, obj);
        if (!t.has_object(object)) return set_errno(EMDB_NOOBJ);
        found = t.lookup(object, name);
    }
    if (!found) return set_errno(EMDB_NOSYM);
    if (sym) *sym = found->sym;
    return 0;
}

int mdb_lookup_by_name(const char* name, GElf_Sym* sym) { return mdb_lookup_by_obj(kObjEvery, name, sym); }

int mdb_lookup_by_addr(uintptr_t addr, uint_t flags, char* buf, size_t n, GElf_Sym* sym) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    const sim::Symbol* found = s->lookup_symbol_by_addr(addr, flags == MDB_SYM_EXACT);
    if (!found) return set_errno(EMDB_NOSYMADDR);
    if (buf && n > 0) {
        size_t len = std::min(n - 1, found->name.size());
        std::memcpy(buf, found->name.data(), len);
        buf[len] = '\0';
    }
    if (sym) *sym = found->sym;
    return 0;
}

int mdb_object_iter(mdb_object_cb_t cb, void* data) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!cb) return set_errno(EINVAL);
    const sim::SymbolTable& t = s->target().symbols();
    for (const std::string& object : t.objects()) {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (const sim::Symbol& sym : t.all()) {
            if (sym.object != object) continue;
            lo = std::min(lo, sym.value());
            hi = std::max(hi, sym.value() + sym.size());
        }
        if (lo == UINT64_MAX) lo = hi = 0;
        mdb_object_t o{object.c_str(), object.c_str(), static_cast<uintptr_t>(lo),
                       static_cast<uintptr_t>(hi - lo)};
        if (int rc = cb(&o, data)) return rc;
    }
    return 0;
}

int mdb_symbol_iter(const char* obj, uint_t which, uint_t type, mdb_symbol_cb_t cb, void* data) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!cb || (which != MDB_SYMTAB && which != MDB_DYNSYM)) return set_errno(EINVAL);
    const sim::SymbolTable& t = s->target().symbols();
    std::string object;
    if (obj != kObjEvery) {
        object = resolve_object(t, obj);
        if (!t.has_object(object)) return set_errno(EMDB_NOOBJ);
    }
    // Copied first: a callback may look symbols up, and the table's storage is not ours to pin.
    std::vector<sim::Symbol> matches;
    for (const sim::Symbol& sym : t.all())
        if ((obj == kObjEvery || sym.object == object) && binding_matches(sym.sym, type))
            matches.push_back(sym);
    uint_t id = 0;
    for (const sim::Symbol& sym : matches) {
        mdb_symbol_t ms{sym.name.c_str(), sym.object.c_str(), &sym.sym, which, id++};
        if (int rc = cb(&ms, data)) return rc;
    }
    return 0;
}

int mdb_getareg(mdb_tid_t, const char*, mdb_reg_t*) { return set_errno(EMDB_TGTNOTSUP); }

int mdb_thread_name(mdb_tid_t, char*, size_t) { return set_errno(EMDB_TGTNOTSUP); }

}  // extern "C"
