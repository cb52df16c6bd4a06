// The type dcmds' bridge to the type layer (walkers/host/types/, mdbsim/host/types.hpp):
// encodings through the module API, ::typedef's container through the session's TypeSystem.
// libctf's header before <mdb/mdb_ctf.h> (through types.hpp), as types.hpp requires.
#include "mdbsim/host/types.hpp"

#include "ctf_bridge.hpp"
#include "host_internal.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::print {

namespace {

TypeSystem& types() { return session_types(current_session()); }

int fail_ctf(ctf_dict_t* fp) {
    errno = ctf_to_errno(ctf_errno(fp));
    return -1;
}

}  // namespace

int type_encoding(mdb_ctf_id_t id, Encoding* e) {
    ctf_encoding_t ce;
    if (mdb_ctf_type_encoding(id, &ce) != 0) return -1;
    e->format = ce.cte_format;
    e->offset = ce.cte_offset;
    e->bits = ce.cte_bits;
    return 0;
}

int synthetic_create_base(DataModel model) {
    // mdb adds the intrinsic types next to whatever is there and fails on a clash.
    if (ctf_dict_t* synth = types().synthetic()) {
        for (const char* name : {"void", "char", "int", "long", "unsigned", "double", "_Bool"}) {
            if (ctf_lookup_by_name(synth, name) != CTF_ERR) {
                errno = EEXIST;
                return -1;
            }
        }
    }
    return types().create_base(model == DataModel::lp64 ? host::DataModel::lp64 : host::DataModel::ilp32);
}

int synthetic_reset() {
    return types().reset_synthetics();
}

int synthetic_add_typedef(const char* name, mdb_ctf_id_t type, mdb_ctf_id_t* out) {
    TypeRef r;
    if (types().add_typedef(name, from_mdb_id(type), &r) != 0) return -1;
    if (out) *out = to_mdb_id(r);
    return 0;
}

int synthetic_add_sou(bool is_union, const char* tag, mdb_ctf_id_t* out) {
    TypeSystem& ts = types();
    if (!ts.synthetic() && ts.reset_synthetics() != 0) return -1;
    TypeRef r;
    const std::string_view name = tag ? tag : "";
    if ((is_union ? ts.add_union(name, &r) : ts.add_struct(name, &r)) != 0) return -1;
    *out = to_mdb_id(r);
    return 0;
}

int synthetic_add_member(mdb_ctf_id_t sou, const char* name, mdb_ctf_id_t type) {
    return types().add_member(from_mdb_id(sou), name, from_mdb_id(type), nullptr);
}

int synthetic_add_pointer(mdb_ctf_id_t to, mdb_ctf_id_t* out) {
    TypeRef r;
    if (types().add_pointer(from_mdb_id(to), &r) != 0) return -1;
    *out = to_mdb_id(r);
    return 0;
}

int synthetic_add_array(mdb_ctf_id_t contents, mdb_ctf_id_t, uint32_t nelems, mdb_ctf_id_t* out) {
    TypeRef r;
    if (types().add_array(from_mdb_id(contents), nelems, &r) != 0) return -1;
    *out = to_mdb_id(r);
    return 0;
}

int synthetic_mark(SyntheticMark* mark) {
    TypeSystem& ts = types();
    if (!ts.synthetic() && ts.reset_synthetics() != 0) return -1;
    const ctf_snapshot_id_t snap = ctf_snapshot(ts.synthetic());
    *mark = {ts.synthetic(), snap.dtd_id, snap.snapshot_id};
    return 0;
}

int synthetic_rollback(const SyntheticMark& mark) {
    ctf_dict_t* synth = types().synthetic();
    if (synth == nullptr || synth != mark.dict) {
        errno = EINVAL;  // the container was reset since
        return -1;
    }
    if (ctf_rollback(synth, ctf_snapshot_id_t{mark.id, mark.snapshot}) != 0) return fail_ctf(synth);
    return 0;
}

int synthetic_iter(const std::function<int(mdb_ctf_id_t)>& cb) {
    ctf_dict_t* synth = types().synthetic();
    if (!synth) return 0;
    struct Arg {
        ctf_dict_t* fp;
        const std::function<int(mdb_ctf_id_t)>* cb;
    } arg{synth, &cb};
    int rc = ctf_type_iter(
        synth,
        [](ctf_id_t id, void* a) {
            auto* arg = static_cast<Arg*>(a);
            return (*arg->cb)(to_mdb_id({arg->fp, id}));
        },
        &arg);
    return rc < 0 ? fail_ctf(synth) : rc;
}

int synthetic_import(const std::string& file, std::vector<std::string>* left_out) {
    std::vector<TypeSystem::ImportLeftOut> out;
    if (types().import_file(file, &out) != 0) return -1;
    for (const auto& l : out) left_out->push_back(l.type + " of " + l.child);
    return 0;
}

int synthetic_export(const std::string& file) {
    ctf_dict_t* synth = types().synthetic();
    if (!synth && types().reset_synthetics() != 0) return -1;
    synth = types().synthetic();
    size_t size = 0;
    unsigned char* buf = ctf_write_mem(synth, &size, static_cast<size_t>(-1));
    if (!buf) return fail_ctf(synth);
    std::ofstream f(file, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(buf), static_cast<std::streamsize>(size));
    free(buf);
    if (!f) {
        errno = EIO;
        return -1;
    }
    return 0;
}

}  // namespace mdbsim::host::print
