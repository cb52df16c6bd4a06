// mdb's CTF interface. mdbsim has no type information, so every query fails with EMDB_NOCTF and
// the id helpers treat every id as invalid.
#include <mdb/mdb_ctf.h>

#include <cstring>

#include "host_internal.hpp"

using mdbsim::host::set_errno;

extern "C" {

int mdb_ctf_lookup_by_name(const char*, mdb_ctf_id_t* idp) {
    if (idp) mdb_ctf_type_invalidate(idp);
    return set_errno(EMDB_NOCTF);
}
int mdb_ctf_lookup_by_addr(uintptr_t, mdb_ctf_id_t* idp) { return mdb_ctf_lookup_by_name(nullptr, idp); }
int mdb_ctf_lookup_by_symbol(const GElf_Sym*, const void*, mdb_ctf_id_t* idp) {
    return mdb_ctf_lookup_by_name(nullptr, idp);
}
int mdb_ctf_module_lookup(const char*, mdb_ctf_id_t* idp) { return mdb_ctf_lookup_by_name(nullptr, idp); }
int mdb_ctf_func_info(const GElf_Sym*, const void*, mdb_ctf_funcinfo_t*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_func_args(const mdb_ctf_funcinfo_t*, uint_t, mdb_ctf_id_t*) { return set_errno(EMDB_NOCTF); }

void mdb_ctf_type_invalidate(mdb_ctf_id_t* idp) {
    if (idp) std::memset(idp, 0, sizeof *idp);
}
int mdb_ctf_type_valid(mdb_ctf_id_t) { return 0; }
int mdb_ctf_type_cmp(mdb_ctf_id_t a, mdb_ctf_id_t b) { return std::memcmp(&a, &b, sizeof a); }
int mdb_ctf_type_resolve(mdb_ctf_id_t, mdb_ctf_id_t* outp) { return mdb_ctf_lookup_by_name(nullptr, outp); }
char* mdb_ctf_type_name(mdb_ctf_id_t, char* buf, size_t len) {
    if (buf && len > 0) buf[0] = '\0';
    set_errno(EMDB_NOCTF);
    return nullptr;
}
ssize_t mdb_ctf_type_size(mdb_ctf_id_t) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_type_kind(mdb_ctf_id_t) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_type_reference(mdb_ctf_id_t, mdb_ctf_id_t* outp) { return mdb_ctf_lookup_by_name(nullptr, outp); }
int mdb_ctf_array_info(mdb_ctf_id_t, mdb_ctf_arinfo_t*) { return set_errno(EMDB_NOCTF); }
const char* mdb_ctf_enum_name(mdb_ctf_id_t, int) {
    set_errno(EMDB_NOCTF);
    return nullptr;
}
int mdb_ctf_member_info(mdb_ctf_id_t, const char*, ulong_t*, mdb_ctf_id_t*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_offsetof(mdb_ctf_id_t, const char*, ulong_t*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_num_members(mdb_ctf_id_t) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_offsetof_by_name(const char*, const char*) { return set_errno(EMDB_NOCTF); }
ssize_t mdb_ctf_sizeof_by_name(const char*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_member_iter(mdb_ctf_id_t, mdb_ctf_member_f*, void*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_enum_iter(mdb_ctf_id_t, mdb_ctf_enum_f*, void*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_type_iter(const char*, mdb_ctf_type_f*, void*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_type_visit(mdb_ctf_id_t, mdb_ctf_visit_f*, void*) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_vread(void*, const char*, const char*, uintptr_t, uint_t) { return set_errno(EMDB_NOCTF); }
int mdb_ctf_readsym(void*, const char*, const char*, uint_t) { return set_errno(EMDB_NOCTF); }

}  // extern "C"
