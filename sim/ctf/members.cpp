#include "mdbsim/sim/ctf_members.hpp"

#include <ctf-api.h>

namespace mdbsim::sim {
namespace {

// libctf 2.40's ctf_member_info gives a member of an anonymous union its offset within the union;
// here the offsets are summed from the indexed type's start.
int add_members(ctf_dict_t* fp, ctf_id_t su, unsigned long base, CtfMemberIndex& index) {
    struct Add {
        ctf_dict_t* fp;
        unsigned long base;
        CtfMemberIndex& index;
    } a{fp, base, index};
    return ctf_member_iter(fp, su, [](const char* n, ctf_id_t t, unsigned long off, void* arg) {
        auto* a = static_cast<Add*>(arg);
        a->index.emplace(n, CtfMember{a->base + off, t});
        if (n[0] != '\0') return 0;
        const ctf_id_t r = ctf_type_resolve(a->fp, t);
        const int k = r == CTF_ERR ? -1 : ctf_type_kind(a->fp, r);
        if (k == CTF_K_STRUCT || k == CTF_K_UNION) (void)add_members(a->fp, r, a->base + off, a->index);
        return 0;
    }, &a);
}

}  // namespace

int index_ctf_members(ctf_dict* fp, unsigned long su, CtfMemberIndex& index) {
    const ctf_id_t r = ctf_type_resolve(fp, su);
    return add_members(fp, r == CTF_ERR ? su : r, 0, index);
}

}  // namespace mdbsim::sim
