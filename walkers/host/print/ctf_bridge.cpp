// The type dcmds' bridge to the type layer (walkers/host/types/, mdbsim/host/types.hpp):
// encodings through the module API, ::typedef's container through the session's TypeSystem.
// libctf's header before <mdb/mdb_ctf.h> (through types.hpp), as types.hpp requires.
#include "mdbsim/host/types.hpp"

#include "ctf_bridge.hpp"
#include "host_internal.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/ctf_array_order.hpp"

namespace mdbsim::host::print {

namespace {

TypeSystem& types() { return session_types(current_session()); }

int fail_ctf(ctf_dict_t* fp) {
    errno = ctf_to_errno(ctf_errno(fp));
    return -1;
}

// The bytes of a file's .ctf section when it is an ELF object, else the whole file (raw CTF);
// *gcc_order: the object's .comment names a compiler that swaps multi-dimensional arrays.
bool read_ctf_file(const std::string& path, std::vector<char>& out, bool* gcc_order) {
    *gcc_order = false;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        errno = ENOENT;
        return false;
    }
    std::vector<char> all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (all.size() < 4 || std::memcmp(all.data(), "\177ELF", 4) != 0) {
        out = std::move(all);
        return true;
    }
    elf_version(EV_CURRENT);
    Elf* e = elf_memory(all.data(), all.size());
    size_t shstrndx = 0;
    bool found = false;
    if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
        for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
            GElf_Shdr sh;
            const char* n = gelf_getshdr(s, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : nullptr;
            if (n && std::strcmp(n, ".comment") == 0)
                if (Elf_Data* d = elf_getdata(s, nullptr); d && d->d_buf)
                    *gcc_order = sim::array_order_from_comment(std::string_view(
                                     static_cast<const char*>(d->d_buf), d->d_size)) == sim::ArrayOrder::gcc;
            if (!n || std::strcmp(n, ".ctf") != 0) continue;
            if (Elf_Data* d = elf_getdata(s, nullptr); d && d->d_buf) {
                out.assign(static_cast<char*>(d->d_buf), static_cast<char*>(d->d_buf) + d->d_size);
                found = true;
            }
        }
    }
    if (e) elf_end(e);
    if (!found) errno = EMDB_NOCTF;
    return found;
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

int synthetic_import(const std::string& file) {
    std::vector<char> bytes;
    bool gcc_order = false;
    if (!read_ctf_file(file, bytes, &gcc_order)) return -1;
    if (gcc_order) {
        // Re-nested in C order as the type layer does for any gcc object (ctf_array_order.hpp);
        // the container then holds one dict's worth of bytes, rebuilt as a lone archive member.
        std::vector<sim::CtfDictBytes> parts;
        std::string why;
        const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
        if (sim::split_ctf_section(p, bytes.size(), parts, &why) && parts.size() == 1 &&
            sim::nest_arrays_as_c(parts, &why) >= 0)
            bytes.assign(parts[0].bytes.begin(), parts[0].bytes.end());
    }
    TypeSystem& ts = types();
    if (!ts.synthetic() && ts.reset_synthetics() != 0) return -1;
    ctf_dict_t* synth = ts.synthetic();
    ctf_sect_t sect{};
    sect.cts_name = ".ctf";
    sect.cts_entsize = 1;
    sect.cts_data = bytes.data();
    sect.cts_size = bytes.size();
    int err = 0;
    ctf_archive_t* arc = ctf_arc_bufopen(&sect, nullptr, nullptr, &err);
    if (!arc) {
        errno = ctf_to_errno(err);
        return -1;
    }
    const ctf_snapshot_id_t before = ctf_snapshot(synth);
    int rc = 0;
    ctf_next_t* it = nullptr;
    while (ctf_dict_t* fp = ctf_archive_next(arc, &it, nullptr, 0, &err)) {
        if (rc == 0) {
            ctf_next_t* ti = nullptr;
            ctf_id_t id;
            while ((id = ctf_type_next(fp, &ti, nullptr, 0)) != CTF_ERR) {
                if (ctf_add_type(synth, fp, id) == CTF_ERR) {
                    rc = fail_ctf(synth);
                    ctf_next_destroy(ti);
                    break;
                }
            }
        }
        ctf_dict_close(fp);
    }
    ctf_close(arc);
    if (rc != 0) ctf_rollback(synth, before);
    return rc;
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
