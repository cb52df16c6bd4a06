// mdb's CTF interface (mdb_ctf_*) over the type system (types/, mdbsim/host/types.hpp). Names,
// errors and corner cases follow illumos mdb: an id is a (dict, type) pair; lookups fail with
// EMDB_NOOBJ, EMDB_NOCTF or EMDB_CTF (libctf's own error behind it), members with EMDB_CTFNOMEMB;
// the functions that take a type resolve forward declarations through every module first.
#include <ctf-api.h>
#include <mdb/mdb_ctf.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "host_internal.hpp"
#include "mdbsim/host/types.hpp"

using namespace mdbsim::host;

namespace {

TypeSystem* types() {
    Session* s = Session::current();
    return s ? &s->types() : nullptr;
}

void set_id(mdb_ctf_id_t* p, TypeRef t) {
    if (p) *p = to_mdb_id(t);
}

int fail_fp(ctf_dict_t* fp) { return set_errno(ctf_to_errno(fp ? ctf_errno(fp) : ECTF_NOTYPE)); }

// An id the caller passed: invalid ids fail with EINVAL instead of reaching libctf.
bool usable(TypeRef t) {
    if (t.valid()) return true;
    set_errno(EINVAL);
    return false;
}

struct MemberProxy {
    mdb_ctf_member_f* cb;
    void* arg;
    ctf_dict_t* fp;
    bool stopped = false;  // the callback ended the iteration (its errno is the caller's)
};

struct VisitProxy {
    mdb_ctf_visit_f* cb;
    void* arg;
    ctf_dict_t* fp;
    unsigned long base_off;
    int base_depth;
    int min_depth;
};

int visit_cb(const char* name, ctf_id_t type, unsigned long off, int depth, void* arg);

}  // namespace

extern "C" {

int mdb_ctf_lookup_by_name(const char* name, mdb_ctf_id_t* idp) {
    if (idp == nullptr) return set_errno(EINVAL);
    TypeSystem* ts = types();
    if (name == nullptr || ts == nullptr) {
        mdb_ctf_type_invalidate(idp);
        return set_errno(name == nullptr ? EINVAL : EMDB_NOCTF);
    }
    const TypeRef t = ts->lookup(name);
    set_id(idp, t);
    return t.valid() ? 0 : -1;
}

int mdb_ctf_lookup_by_symbol(const GElf_Sym* sym, const void* syminfo, mdb_ctf_id_t* idp) {
    if (idp == nullptr) return set_errno(EINVAL);
    mdb_ctf_type_invalidate(idp);
    (void)syminfo;  // mdbsim's mdb_syminfo_t carries nothing the address does not give
    Session* s = Session::current();
    if (sym == nullptr || s == nullptr) return set_errno(EINVAL);
    const mdbsim::sim::Symbol* found = s->target().symbols().lookup_by_addr(sym->st_value, true);
    if (found == nullptr) return set_errno(EMDB_NOSYMADDR);
    const TypeRef t = s->types().symbol_type(*found);
    set_id(idp, t);
    return t.valid() ? 0 : -1;
}

int mdb_ctf_lookup_by_addr(uintptr_t addr, mdb_ctf_id_t* idp) {
    if (idp == nullptr) return set_errno(EINVAL);
    GElf_Sym sym{};
    sym.st_value = addr;
    return mdb_ctf_lookup_by_symbol(&sym, nullptr, idp);
}

int mdb_ctf_module_lookup(const char* name, mdb_ctf_id_t* idp) {
    if (idp == nullptr || name == nullptr) return set_errno(EINVAL);
    mdb_ctf_type_invalidate(idp);
    Session* s = Session::current();
    if (s == nullptr) return set_errno(EMDB_CTX);
    Module* m = calling_module(*s);
    if (m == nullptr) return set_errno(EMDB_CTX);
    const TypeRef t = s->types().dmod_lookup(*m, name);
    set_id(idp, t);
    return t.valid() ? 0 : -1;
}

// A function symbol's type from its object's CTF function info. Found by address, as mdb
// re-looks the symbol up; in an object file a data symbol may share the address (offset 0 of
// another section), so a function symbol there wins.
int mdb_ctf_func_info(const GElf_Sym* sym, const void* syminfo, mdb_ctf_funcinfo_t* fip) {
    (void)syminfo;
    Session* s = Session::current();
    if (sym == nullptr || fip == nullptr || s == nullptr) return set_errno(EINVAL);
    const mdbsim::sim::SymbolTable& table = s->target().symbols();
    // The function symbols at the address, global ones first; the first with function info
    // answers. An address may also carry local aliases without CTF of their own (gcc's
    // "<name>.localalias" under -fno-semantic-interposition, before the globals in .symtab).
    std::vector<const mdbsim::sim::Symbol*> at;
    for (const auto& cand : table.all())
        if (cand.value() == sym->st_value && GELF_ST_TYPE(cand.sym.st_info) == STT_FUNC) at.push_back(&cand);
    std::stable_partition(at.begin(), at.end(),
                          [](const mdbsim::sim::Symbol* c) { return GELF_ST_BIND(c->sym.st_info) != STB_LOCAL; });
    if (at.empty())
        if (const mdbsim::sim::Symbol* any = table.lookup_by_addr(sym->st_value, true)) at.push_back(any);
    if (at.empty()) return set_errno(EMDB_NOSYMADDR);
    TypeRef f;
    for (const mdbsim::sim::Symbol* c : at)
        if ((f = s->types().function_type(*c)).valid()) break;
    if (!f.valid()) return -1;
    ctf_funcinfo_t fi;
    if (ctf_func_type_info(f.fp, f.id, &fi) < 0) return fail_fp(f.fp);
    set_id(&fip->mtf_return, {f.fp, fi.ctc_return});
    fip->mtf_argc = fi.ctc_argc;
    fip->mtf_flags = fi.ctc_flags;
    fip->mtf_symidx = static_cast<uint_t>(f.id);
    return 0;
}

int mdb_ctf_func_args(const mdb_ctf_funcinfo_t* fip, uint_t len, mdb_ctf_id_t* argv) {
    ctf_id_t args[32];
    if (len > sizeof args / sizeof args[0] || fip == nullptr || argv == nullptr) return set_errno(EINVAL);
    const TypeRef r = from_mdb_id(fip->mtf_return);
    if (!usable(r)) return -1;
    if (ctf_func_type_args(r.fp, static_cast<ctf_id_t>(fip->mtf_symidx), len, args) < 0) return fail_fp(r.fp);
    for (uint_t i = 0; i < std::min(len, fip->mtf_argc); ++i) set_id(&argv[i], {r.fp, args[i]});
    return 0;
}

void mdb_ctf_type_invalidate(mdb_ctf_id_t* idp) { set_id(idp, TypeRef{}); }

int mdb_ctf_type_valid(mdb_ctf_id_t id) { return from_mdb_id(id).valid() ? 1 : 0; }

int mdb_ctf_type_cmp(mdb_ctf_id_t a, mdb_ctf_id_t b) {
    const TypeRef x = from_mdb_id(a), y = from_mdb_id(b);
    if (!x.valid() || !y.valid()) return x.valid() - y.valid();
    return ctf_type_cmp(x.fp, x.id, y.fp, y.id);
}

int mdb_ctf_type_resolve(mdb_ctf_id_t mid, mdb_ctf_id_t* outp) {
    const TypeRef t = from_mdb_id(mid);
    if (!usable(t)) {
        mdb_ctf_type_invalidate(outp);
        return -1;
    }
    const ctf_id_t r = ctf_type_resolve(t.fp, t.id);
    if (r == CTF_ERR) {
        mdb_ctf_type_invalidate(outp);
        return fail_fp(t.fp);
    }
    // A forward declaration resolves to the full definition in whichever module has it.
    if (ctf_type_kind(t.fp, r) == CTF_K_FORWARD) {
        char name[512];
        mdb_ctf_id_t full;
        if (ctf_type_name(t.fp, r, name, sizeof name) && mdb_ctf_lookup_by_name(name, &full) == 0 &&
            mdb_ctf_type_kind(full) != CTF_K_FORWARD) {
            if (outp) *outp = full;
            return 0;
        }
    }
    set_id(outp, {t.fp, r});
    return 0;
}

char* mdb_ctf_type_name(mdb_ctf_id_t id, char* buf, size_t len) {
    const TypeRef t = from_mdb_id(id);
    if (!t.valid() || buf == nullptr) {
        set_errno(EINVAL);
        return nullptr;
    }
    const std::string n = illumos_type_name(t);
    if (n.empty() && ctf_errno(t.fp) != 0) {
        fail_fp(t.fp);
        return nullptr;
    }
    if (len > 0) {
        std::strncpy(buf, n.c_str(), len - 1);
        buf[len - 1] = '\0';
    }
    return buf;
}

ssize_t mdb_ctf_type_size(mdb_ctf_id_t id) {
    mdb_ctf_id_t r;
    if (mdb_ctf_type_resolve(id, &r) != 0) return -1;
    const TypeRef t = from_mdb_id(r);
    const ssize_t n = ctf_type_size(t.fp, t.id);
    if (n < 0) return fail_fp(t.fp);
    return n;
}

int mdb_ctf_type_kind(mdb_ctf_id_t id) {
    const TypeRef t = from_mdb_id(id);
    if (!usable(t)) return -1;
    const int k = ctf_type_kind(t.fp, t.id);
    if (k < 0) return fail_fp(t.fp);
    return k;
}

int mdb_ctf_type_reference(mdb_ctf_id_t mid, mdb_ctf_id_t* outp) {
    const TypeRef t = from_mdb_id(mid);
    if (!usable(t)) {
        mdb_ctf_type_invalidate(outp);
        return -1;
    }
    const ctf_id_t r = ctf_type_reference(t.fp, t.id);
    if (r == CTF_ERR) {
        mdb_ctf_type_invalidate(outp);
        return fail_fp(t.fp);
    }
    set_id(outp, {t.fp, r});
    return 0;
}

int mdb_ctf_type_encoding(mdb_ctf_id_t id, ctf_encoding_t* ep) {
    const TypeRef t = from_mdb_id(id);
    if (!usable(t) || ep == nullptr) return ep ? -1 : set_errno(EINVAL);
    if (ctf_type_encoding(t.fp, t.id, ep) < 0) return fail_fp(t.fp);
    return 0;
}

int mdb_ctf_array_info(mdb_ctf_id_t id, mdb_ctf_arinfo_t* arp) {
    const TypeRef t = from_mdb_id(id);
    if (!usable(t) || arp == nullptr) return arp ? -1 : set_errno(EINVAL);
    ctf_arinfo_t a;
    if (ctf_array_info(t.fp, t.id, &a) < 0) return fail_fp(t.fp);
    set_id(&arp->mta_contents, {t.fp, a.ctr_contents});
    set_id(&arp->mta_index, {t.fp, a.ctr_index});
    arp->mta_nelems = a.ctr_nelems;
    return 0;
}

const char* mdb_ctf_enum_name(mdb_ctf_id_t id, int value) {
    mdb_ctf_id_t r;
    if (mdb_ctf_type_resolve(id, &r) != 0) return nullptr;
    const TypeRef t = from_mdb_id(r);
    const char* n = ctf_enum_name(t.fp, t.id, value);
    if (n == nullptr) fail_fp(t.fp);
    return n;
}

int mdb_ctf_member_iter(mdb_ctf_id_t id, mdb_ctf_member_f* cb, void* arg) {
    if (cb == nullptr) return set_errno(EINVAL);
    mdb_ctf_id_t r;
    if (mdb_ctf_type_resolve(id, &r) != 0) return -1;
    const TypeRef t = from_mdb_id(r);
    MemberProxy p{cb, arg, t.fp};
    const int rc = ctf_member_iter(t.fp, t.id, [](const char* n, ctf_id_t mt, unsigned long off, void* a) {
        auto* p = static_cast<MemberProxy*>(a);
        const int r = p->cb(n, to_mdb_id({p->fp, mt}), off, p->arg);
        p->stopped = r != 0;
        return r;
    }, &p);
    if (rc == -1 && !p.stopped) return fail_fp(t.fp);
    return rc;
}

int mdb_ctf_enum_iter(mdb_ctf_id_t id, mdb_ctf_enum_f* cb, void* arg) {
    if (cb == nullptr) return set_errno(EINVAL);
    mdb_ctf_id_t r;
    if (mdb_ctf_type_resolve(id, &r) != 0) return -1;
    const TypeRef t = from_mdb_id(r);
    const int rc = ctf_enum_iter(t.fp, t.id, cb, arg);
    if (rc == -1) return fail_fp(t.fp);
    return rc;
}

int mdb_ctf_type_iter(const char* object, mdb_ctf_type_f* cb, void* arg) {
    TypeSystem* ts = types();
    if (ts == nullptr || cb == nullptr) return set_errno(EINVAL);
    ctf_dict_t* fp = nullptr;
    if (object == MDB_CTF_SYNTHETIC_ITER) {
        fp = ts->synthetic();
    } else if (object == nullptr) {  // MDB_OBJ_EXEC: the primary object's types
        if (ts->modules().empty()) return set_errno(EMDB_NOCTF);
        fp = ts->modules().front().dict;
    } else {
        fp = ts->module_dict(object);
    }
    if (fp == nullptr) return -1;
    struct Proxy {
        mdb_ctf_type_f* cb;
        void* arg;
        ctf_dict_t* fp;
    } p{cb, arg, fp};
    const int rc = ctf_type_iter(fp, [](ctf_id_t t, void* a) {
        auto* p = static_cast<Proxy*>(a);
        return p->cb(to_mdb_id({p->fp, t}), p->arg);
    }, &p);
    if (rc == -1) return fail_fp(fp);
    return rc;
}

int mdb_ctf_type_visit(mdb_ctf_id_t id, mdb_ctf_visit_f* cb, void* arg) {
    const TypeRef t = from_mdb_id(id);
    if (!usable(t) || cb == nullptr) return cb ? -1 : set_errno(EINVAL);
    VisitProxy v{cb, arg, t.fp, 0, 0, 0};
    const int rc = ctf_type_visit(t.fp, t.id, visit_cb, &v);
    if (rc == -1) return fail_fp(t.fp);
    return rc;
}

int mdb_ctf_member_info(mdb_ctf_id_t id, const char* member, ulong_t* offp, mdb_ctf_id_t* typep) {
    if (member == nullptr) return set_errno(EINVAL);
    const TypeRef given = from_mdb_id(id);
    unsigned long off = 0;
    TypeRef mt;
    TypeSystem* ts = given.valid() ? types() : nullptr;
    if (ts != nullptr && ts->member_memo_get(given, member, &off, &mt)) {
        if (offp) *offp = off;
        set_id(typep, mt);
        return 0;
    }
    mdb_ctf_id_t r;
    if (mdb_ctf_type_resolve(id, &r) != 0) return -1;
    const TypeRef t = from_mdb_id(r);
    ts = types();
    if (ts == nullptr) return set_errno(EMDB_NOCTF);  // as every lookup outside a session
    const int found = ts->member(t, member, &off, &mt);
    if (found < 0) return fail_fp(t.fp);
    if (found == 0) return set_errno(EMDB_CTFNOMEMB);
    // Kept when the resolution stayed in the given type's dict: then it depends on that dict
    // alone (a forward declaration resolves by name, through whichever modules are loaded).
    if (t.fp == given.fp) {
        const ctf_id_t own = ctf_type_resolve(given.fp, given.id);
        if (own == t.id && ctf_type_kind(given.fp, own) != CTF_K_FORWARD) ts->member_memo_put(given, member, off, mt);
    }
    if (offp) *offp = off;
    set_id(typep, mt);
    return 0;
}

int mdb_ctf_offsetof(mdb_ctf_id_t id, const char* member, ulong_t* offp) {
    return mdb_ctf_member_info(id, member, offp, nullptr);
}

int mdb_ctf_num_members(mdb_ctf_id_t id) {
    int n = 0;
    if (mdb_ctf_member_iter(id, [](const char*, mdb_ctf_id_t, ulong_t, void* a) {
            ++*static_cast<int*>(a);
            return 0;
        }, &n) != 0)
        return -1;
    return n;
}

int mdb_ctf_offsetof_by_name(const char* type, const char* member) {
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(type, &id) == -1) {
        mdb_warn("couldn't find type %s", type ? type : "(null)");
        return -1;
    }
    ulong_t off = 0;
    if (mdb_ctf_offsetof(id, member, &off) == -1) {
        mdb_warn("couldn't find member %s of type %s", member ? member : "(null)", type);
        return -1;
    }
    if (off % 8 != 0) {
        mdb_warn("member %s of type %s is an unsupported bitfield\n", member, type);
        return -1;
    }
    return static_cast<int>(off / 8);
}

ssize_t mdb_ctf_sizeof_by_name(const char* type) {
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(type, &id) != 0) return -1;
    return mdb_ctf_type_size(id);
}

}  // extern "C"

namespace {

// mdb_ctf_type_visit's callback proxy: offsets and depths continue across a forward declaration
// resolved in another dict.
int visit_cb(const char* name, ctf_id_t type, unsigned long off, int depth, void* arg) {
    auto* v = static_cast<VisitProxy*>(arg);
    if (depth < v->min_depth) return 0;
    off += v->base_off;
    depth += v->base_depth;
    const mdb_ctf_id_t id = to_mdb_id({v->fp, type});
    mdb_ctf_id_t base;
    if (mdb_ctf_type_resolve(id, &base) != 0) mdb_ctf_type_invalidate(&base);
    if (const int rc = v->cb(name, id, base, off, depth, v->arg); rc != 0) return rc;
    const TypeRef b = from_mdb_id(base);
    if (b.valid() && b.fp != v->fp) {
        VisitProxy inner{v->cb, v->arg, b.fp, off, depth, 1};
        return ctf_type_visit(b.fp, b.id, visit_cb, &inner);
    }
    return 0;
}

}  // namespace

// ---- mdb_ctf_vread: the target's object, converted member by member into the dmod's type ----
namespace {

void ctf_warn(uint_t flags, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void ctf_warn(uint_t flags, const char* fmt, ...) {
    if (flags & MDB_CTF_VREAD_QUIET) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    // mdb_warn appends errno's text unless the format ends in a newline: keep mdb's choice.
    const size_t n = std::strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
        buf[n - 1] = '\0';
        mdb_warn("%s\n", buf);
    } else {
        mdb_warn("%s", buf);
    }
}

std::string name_or_id(mdb_ctf_id_t id) {
    char buf[256];
    if (mdb_ctf_type_name(id, buf, sizeof buf)) return buf;
    std::snprintf(buf, sizeof buf, "#%lu", static_cast<unsigned long>(from_mdb_id(id).id));
    return buf;
}

// Where a conversion is, for warnings: "member NAME of type T" (empty at the top), built only
// when a warning needs it.
struct Where {
    const char* member = nullptr;
    mdb_ctf_id_t of{};
    std::string str() const {
        if (member == nullptr) return {};
        std::string w("member ");  // append(), not operator+: gcc 12's -Wrestrict misfires on chains
        w.append(member).append(" of type ").append(name_or_id(of));
        return w;
    }
};

int convert(mdb_ctf_id_t modid, char* modbuf, mdb_ctf_id_t tgtid, const char* tgtbuf, const Where& where,
            uint_t flags);

// Structurally the same type (mdb's test before it copies a union whole): same kind and size,
// members by name at the same offsets, arrays of the same length, recursively.
bool same_shape(mdb_ctf_id_t a, mdb_ctf_id_t b) {
    if (mdb_ctf_type_resolve(a, &a) != 0 || mdb_ctf_type_resolve(b, &b) != 0) return false;
    const int ak = mdb_ctf_type_kind(a), bk = mdb_ctf_type_kind(b);
    if (ak < 0 || ak != bk || mdb_ctf_type_size(a) != mdb_ctf_type_size(b)) return false;
    switch (ak) {
    case CTF_K_INTEGER:
    case CTF_K_FLOAT:
    case CTF_K_POINTER:
    case CTF_K_ENUM: return true;
    case CTF_K_STRUCT:
    case CTF_K_UNION: {
        if (mdb_ctf_num_members(a) != mdb_ctf_num_members(b)) return false;
        struct Cmp {
            mdb_ctf_id_t other;
        } c{b};
        return mdb_ctf_member_iter(a, [](const char* n, mdb_ctf_id_t mt, ulong_t off, void* arg) {
            mdb_ctf_id_t omt;
            ulong_t ooff = 0;
            auto* c = static_cast<Cmp*>(arg);
            if (mdb_ctf_member_info(c->other, n, &ooff, &omt) != 0 || ooff != off) return 1;
            return same_shape(mt, omt) ? 0 : 1;
        }, &c) == 0;
    }
    case CTF_K_ARRAY: {
        mdb_ctf_arinfo_t x, y;
        return mdb_ctf_array_info(a, &x) == 0 && mdb_ctf_array_info(b, &y) == 0 && x.mta_nelems == y.mta_nelems &&
               same_shape(x.mta_contents, y.mta_contents);
    }
    default: return false;
    }
}

// The members of the dmod's struct (or anonymous member) modid, each found by name in the
// target's struct tgtid (inside its anonymous members too) and converted.
int convert_members(mdb_ctf_id_t modid, char* modbuf, mdb_ctf_id_t tgtid, const char* tgtbuf, uint_t flags) {
    struct Ctx {
        char* modbuf;
        mdb_ctf_id_t tgtid;
        const char* tgtbuf;
        uint_t flags;
    } ctx{modbuf, tgtid, tgtbuf, flags};
    return mdb_ctf_member_iter(modid, [](const char* name, mdb_ctf_id_t modmt, ulong_t modoff, void* arg) {
        auto* c = static_cast<Ctx*>(arg);
        char* mb = c->modbuf + modoff / 8;
        if (name[0] == '\0') {
            // An anonymous struct or union of the dmod's type: its members are the target's.
            mdb_ctf_id_t r;
            if (mdb_ctf_type_resolve(modmt, &r) == 0 &&
                (mdb_ctf_type_kind(r) == CTF_K_STRUCT || mdb_ctf_type_kind(r) == CTF_K_UNION))
                return convert_members(r, mb, c->tgtid, c->tgtbuf, c->flags);
        }
        const Where where{name, c->tgtid};
        ulong_t tgtoff = 0;
        mdb_ctf_id_t tgtmt;
        if (mdb_ctf_member_info(c->tgtid, name, &tgtoff, &tgtmt) != 0) {
            if (c->flags & MDB_CTF_VREAD_IGNORE_ABSENT) return 0;
            ctf_warn(c->flags, "could not find %s\n", where.str().c_str());
            return set_errno(EMDB_CTFNOMEMB);
        }
        return convert(modmt, mb, tgtmt, c->tgtbuf + tgtoff / 8, where, c->flags);
    }, &ctx);
}

int convert(mdb_ctf_id_t modid, char* modbuf, mdb_ctf_id_t tgtid, const char* tgtbuf, const Where& where,
            uint_t flags) {
    // Names only for warnings (and the uintptr_t exception): they cost more than the copy.
    const mdb_ctf_id_t tgt_named = tgtid, mod_named = modid;
    auto tname_s = [&] { return name_or_id(tgt_named); };
    auto mname_s = [&] { return name_or_id(mod_named); };
    (void)mdb_ctf_type_resolve(modid, &modid);
    (void)mdb_ctf_type_resolve(tgtid, &tgtid);
    const int modkind = mdb_ctf_type_kind(modid);
    if (modkind < 0) {
        ctf_warn(flags, "couldn't determine type kind of mdb module type %s\n", mname_s().c_str());
        return -1;
    }
    const int tgtkind = mdb_ctf_type_kind(tgtid);
    if (tgtkind < 0) {
        ctf_warn(flags, "couldn't determine type kind of %s\n", tname_s().c_str());
        return -1;
    }
    const ssize_t modsz = mdb_ctf_type_size(modid);
    if (modsz < 0) {
        ctf_warn(flags, "couldn't determine type size of mdb module type %s\n", mname_s().c_str());
        return -1;
    }
    const ssize_t tgtsz = mdb_ctf_type_size(tgtid);
    if (tgtsz < 0) {
        ctf_warn(flags, "couldn't determine size of %s (%s)\n", tname_s().c_str(), where.str().c_str());
        return -1;
    }
    // A pointer may be read into a uintptr_t.
    const bool ptr_as_int = tgtkind == CTF_K_POINTER && modkind == CTF_K_INTEGER && mname_s() == "uintptr_t";
    if (!ptr_as_int && tgtkind != modkind) {
        ctf_warn(flags, "unexpected kind for type %s (%s)\n", tname_s().c_str(), where.str().c_str());
        return set_errno(EMDB_INCOMPAT);
    }
    bool is_signed = false;
    switch (tgtkind) {
    case CTF_K_INTEGER:
    case CTF_K_FLOAT: {
        ctf_encoding_t te{}, me{};
        if (mdb_ctf_type_encoding(tgtid, &te) != 0) {
            ctf_warn(flags, "couldn't determine encoding of type %s (%s)\n", tname_s().c_str(), where.str().c_str());
            return -1;
        }
        if (mdb_ctf_type_encoding(modid, &me) != 0) {
            ctf_warn(flags, "couldn't determine encoding of mdb module type %s\n", mname_s().c_str());
            return -1;
        }
        if (tgtkind == CTF_K_INTEGER) {
            if ((te.cte_format & CTF_INT_SIGNED) != (me.cte_format & CTF_INT_SIGNED)) {
                ctf_warn(flags, "signedness mismatch between type %s (%s) and mdb module type %s\n", tname_s().c_str(),
                         where.str().c_str(), mname_s().c_str());
                return set_errno(EMDB_INCOMPAT);
            }
            is_signed = (te.cte_format & CTF_INT_SIGNED) != 0;
        } else if (te.cte_format != me.cte_format) {
            ctf_warn(flags, "encoding mismatch (%#x != %#x) between type %s (%s) and mdb module type %s\n",
                     te.cte_format, me.cte_format, tname_s().c_str(), where.str().c_str(), mname_s().c_str());
            return set_errno(EMDB_INCOMPAT);
        }
    }
        [[fallthrough]];
    case CTF_K_POINTER:
        if (modsz < tgtsz) {
            if (!(flags & MDB_CTF_VREAD_IGNORE_GROW)) {
                ctf_warn(flags, "size of type %s (%s) is too large for mdb module type %s\n", tname_s().c_str(),
                         where.str().c_str(), mname_s().c_str());
                return set_errno(EMDB_INCOMPAT);
            }
            std::memcpy(modbuf, tgtbuf, static_cast<size_t>(modsz));  // the low bytes (little-endian)
        } else if (modsz > tgtsz) {
            // Widen, sign-extending a negative signed value.
            std::memset(modbuf, is_signed && (tgtbuf[tgtsz - 1] & 0x80) ? 0xff : 0, static_cast<size_t>(modsz));
            std::memcpy(modbuf, tgtbuf, static_cast<size_t>(tgtsz));
        } else {
            std::memcpy(modbuf, tgtbuf, static_cast<size_t>(modsz));
        }
        return 0;
    case CTF_K_ENUM: {
        if (modsz != tgtsz || modsz != static_cast<ssize_t>(sizeof(int))) {
            ctf_warn(flags, "unexpected size of type %s (%s)\n", tname_s().c_str(), where.str().c_str());
            return set_errno(EMDB_INCOMPAT);
        }
        int v = 0;
        std::memcpy(&v, tgtbuf, sizeof v);
        std::memcpy(modbuf, &v, sizeof v);
        const char* en = mdb_ctf_enum_name(tgtid, v);
        if (en == nullptr) {
            ctf_warn(flags, "unexpected value %u of enum type %s (%s)\n", static_cast<unsigned>(v), tname_s().c_str(),
                     where.str().c_str());
            return set_errno(EMDB_INCOMPAT);
        }
        // The dmod gets its own value for the enumerator's name.
        struct Find {
            const char* name;
            int* out;
        } f{en, reinterpret_cast<int*>(modbuf)};
        const int rc = mdb_ctf_enum_iter(modid, [](const char* n, int val, void* a) {
            auto* f = static_cast<Find*>(a);
            if (std::strcmp(n, f->name) != 0) return 0;
            std::memcpy(f->out, &val, sizeof val);
            return 1;
        }, &f);
        if (rc == 1) return 0;
        if (rc == 0) {
            ctf_warn(flags, "unexpected value %s (%u) of enum type %s (%s)\n", en, static_cast<unsigned>(v),
                     tname_s().c_str(), where.str().c_str());
            return set_errno(EMDB_INCOMPAT);
        }
        ctf_warn(flags, "could not iterate enum %s (%s)\n", tname_s().c_str(), where.str().c_str());
        return -1;
    }
    case CTF_K_STRUCT: return convert_members(modid, modbuf, tgtid, tgtbuf, flags) == 0 ? 0 : -1;
    case CTF_K_UNION:
        // A union is copied only when nothing in it changed: which member is live is the
        // caller's to decide.
        if (!same_shape(modid, tgtid)) {
            ctf_warn(flags, "inexact match for union %s (%s)\n", tname_s().c_str(), where.str().c_str());
            return set_errno(EMDB_INCOMPAT);
        }
        std::memcpy(modbuf, tgtbuf, static_cast<size_t>(modsz));
        return 0;
    case CTF_K_ARRAY: {
        mdb_ctf_arinfo_t ta, ma;
        if (mdb_ctf_array_info(tgtid, &ta) != 0) {
            ctf_warn(flags, "couldn't get array info for %s (%s)\n", tname_s().c_str(), where.str().c_str());
            return -1;
        }
        if (mdb_ctf_array_info(modid, &ma) != 0) {
            ctf_warn(flags, "couldn't get array info for mdb module type %s\n", mname_s().c_str());
            return -1;
        }
        uint_t n = ta.mta_nelems;
        if (ta.mta_nelems != ma.mta_nelems) {
            // A target array that grew is read as far as the dmod's reaches, when allowed.
            if (!(flags & MDB_CTF_VREAD_IGNORE_GROW) || ta.mta_nelems < ma.mta_nelems) {
                ctf_warn(flags, "unexpected array size (%u) for type %s (%s)\n", ta.mta_nelems, tname_s().c_str(),
                         where.str().c_str());
                return set_errno(EMDB_INCOMPAT);
            }
            n = ma.mta_nelems;
        }
        const ssize_t mes = mdb_ctf_type_size(ma.mta_contents);
        const ssize_t tes = mdb_ctf_type_size(ta.mta_contents);
        if (mes < 0 || tes < 0) {
            ctf_warn(flags, "couldn't determine size of %s (%s)\n", tname_s().c_str(), where.str().c_str());
            return -1;
        }
        for (uint_t i = 0; i < n; ++i)
            if (const int rc = convert(ma.mta_contents, modbuf + i * mes, ta.mta_contents, tgtbuf + i * tes, where, flags);
                rc != 0)
                return rc;
        return 0;
    }
    default: break;
    }
    ctf_warn(flags, "unsupported kind %d for type %s (%s)\n", modkind, tname_s().c_str(), where.str().c_str());
    return set_errno(EMDB_INCOMPAT);
}

}  // namespace

extern "C" {

int mdb_ctf_vread(void* modbuf, const char* target_typename, const char* mdb_typename, uintptr_t addr, uint_t flags) {
    Session* s = Session::current();
    if (s == nullptr || modbuf == nullptr || target_typename == nullptr || mdb_typename == nullptr)
        return set_errno(EINVAL);
    Module* m = calling_module(*s);
    TypeSystem& ts = s->types();
    if (m == nullptr || !ts.dmod_has_ctf(*m)) {
        ctf_warn(flags, "no ctf data found for mdb module %s\n", m ? m->name.c_str() : "(none)");
        return set_errno(EMDB_NOCTF);
    }
    const TypeRef mod = ts.dmod_lookup(*m, mdb_typename);
    if (!mod.valid()) {
        const int e = errno;
        ctf_warn(flags, "couldn't find ctf data for type %s in mdb module %s\n", mdb_typename, m->name.c_str());
        return set_errno(e);
    }
    mdb_ctf_id_t tgtid;
    if (mdb_ctf_lookup_by_name(target_typename, &tgtid) != 0) {
        ctf_warn(flags, "couldn't find type %s in target's ctf data\n", target_typename);
        return set_errno(EMDB_NOCTF);
    }
    const ssize_t size = mdb_ctf_type_size(tgtid);
    if (size < 0) {
        ctf_warn(flags, "couldn't determine size of type %s\n", target_typename);
        return -1;
    }
    // Not a vector: zero-filling what the read overwrites costs as much as the read.
    std::unique_ptr<char[]> tgtbuf(new char[static_cast<size_t>(size) + 1]);
    if (size > 0 && mdb_vread(tgtbuf.get(), static_cast<size_t>(size), addr) != size) {
        const int e = errno;
        ctf_warn(flags, "couldn't read %s from %p\n", target_typename, reinterpret_cast<void*>(addr));
        return set_errno(e);
    }
    return convert(to_mdb_id(mod), static_cast<char*>(modbuf), tgtid, tgtbuf.get(), Where{}, flags) == 0 ? 0 : -1;
}

int mdb_ctf_readsym(void* buf, const char* type_name, const char* name, uint_t flags) {
    GElf_Sym sym;
    if (name == nullptr || mdb_lookup_by_obj(MDB_OBJ_EVERY, name, &sym) != 0) {
        const int e = errno;
        ctf_warn(flags, "couldn't find symbol %s\n", name ? name : "(null)");
        return set_errno(e);
    }
    return mdb_ctf_vread(buf, type_name, type_name, static_cast<uintptr_t>(sym.st_value), flags);
}

}  // extern "C"
