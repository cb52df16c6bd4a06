// mdbsim-ctfgen: the build-time half of the type system. It takes the CTF that gcc -gctf wrote
// into object files (their .ctf sections), one object per module, and links them with libctf's
// deduplicating linker into one CTF archive shaped like an illumos kernel's types: the parent
// module's dict (genunix) holds every type it declares, and each child module (unix, kvm) is a
// child dict holding only what the parent lacks, its other types referring into the parent.
//
//   mdbsim-ctfgen [--array-probe PROBE.o] OUT.ctf PARENT_NAME PARENT.o [CHILD_NAME CHILD.o]...
//
// PROBE.o is sim/ctf/array_probe.c compiled like the modules: its `int [2][3]` variable shows
// whether the compiler nests multi-dimensional arrays as C does or swaps them (gcc 12, 13); when
// it swaps, every module's dict is re-nested in C order before the link (ctf_array_order.hpp).
//
// The parent's dict is the archive's default member (".ctf") with the parent's name as its CU
// name; each child is the member of its own name. Reads ELF with libelf and CTF with
// libctf-nobfd (binutils-dev). Writes nothing on failure.
#include <ctf-api.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mdbsim/sim/ctf_array_order.hpp"

namespace {

[[noreturn]] void die(const std::string& what) { throw std::runtime_error(what); }

std::vector<char> ctf_section_of(const std::string& path) {
    elf_version(EV_CURRENT);
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) die(path + ": cannot open");
    Elf* e = elf_begin(fd, ELF_C_READ, nullptr);
    size_t shstrndx = 0;
    std::vector<char> out;
    if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
        for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
            GElf_Shdr sh;
            if (!gelf_getshdr(s, &sh)) continue;
            const char* n = elf_strptr(e, shstrndx, sh.sh_name);
            if (!n || std::strcmp(n, ".ctf") != 0) continue;
            Elf_Data* d = elf_getdata(s, nullptr);
            if (d && d->d_buf) out.assign(static_cast<char*>(d->d_buf), static_cast<char*>(d->d_buf) + d->d_size);
        }
    }
    if (e) elf_end(e);
    close(fd);
    if (out.empty()) die(path + ": no .ctf section (was it compiled with gcc -gctf?)");
    return out;
}

struct Input {
    std::string module;
    std::vector<char> bytes;  // must outlive the archive opened on it
    ctf_archive_t* arc = nullptr;
    std::string cuname;
};

bool g_renest = false;  // the compiler swaps multi-dimensional arrays: re-nest every input

void open_input(Input& in, const std::string& path) {
    in.bytes = ctf_section_of(path);
    if (g_renest) {
        std::vector<mdbsim::sim::CtfDictBytes> d{{".ctf", {in.bytes.begin(), in.bytes.end()}}};
        std::string why;
        if (mdbsim::sim::nest_arrays_as_c(d, &why) < 0) die(path + ": " + why);
        in.bytes.assign(d[0].bytes.begin(), d[0].bytes.end());
    }
    ctf_sect_t s{".ctf", in.bytes.data(), in.bytes.size(), 0};
    int err = 0;
    in.arc = ctf_arc_bufopen(&s, nullptr, nullptr, &err);
    if (!in.arc) die(path + ": " + ctf_errmsg(err));
    ctf_dict_t* d = ctf_dict_open(in.arc, nullptr, &err);
    if (!d) die(path + ": " + ctf_errmsg(err));
    const char* cu = ctf_cuname(d);
    in.cuname = cu ? cu : path;
    ctf_dict_close(d);
}

// True when the probe's `int mdbsim_array_probe[2][3]` comes out as an array of 3 `int [2]`.
bool compiler_swaps_dims(const std::string& probe) {
    const std::vector<char> bytes = ctf_section_of(probe);
    ctf_sect_t s{".ctf", bytes.data(), bytes.size(), 0};
    int err = 0;
    ctf_archive_t* arc = ctf_arc_bufopen(&s, nullptr, nullptr, &err);
    if (!arc) die(probe + ": " + ctf_errmsg(err));
    ctf_dict_t* d = ctf_dict_open(arc, nullptr, &err);
    if (!d) die(probe + ": " + ctf_errmsg(err));
    const ctf_id_t v = ctf_lookup_variable(d, "mdbsim_array_probe");
    ctf_arinfo_t outer{}, inner{};
    if (v == CTF_ERR || ctf_array_info(d, v, &outer) < 0 || ctf_array_info(d, outer.ctr_contents, &inner) < 0)
        die(probe + ": no two-dimensional mdbsim_array_probe in its CTF");
    ctf_dict_close(d);
    ctf_arc_close(arc);
    if (outer.ctr_nelems == 2 && inner.ctr_nelems == 3) return false;
    if (outer.ctr_nelems == 3 && inner.ctr_nelems == 2) return true;
    die(probe + ": mdbsim_array_probe is neither [2][3] nor [3][2]");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc > 2 && std::strcmp(argv[1], "--array-probe") == 0) {
            g_renest = compiler_swaps_dims(argv[2]);
            argc -= 2;
            argv += 2;
        }
        if (argc < 4 || (argc - 4) % 2 != 0) {
            std::fprintf(stderr, "usage: mdbsim-ctfgen [--array-probe PROBE.o] OUT.ctf PARENT_NAME PARENT.o [CHILD_NAME CHILD.o]...\n");
            return 2;
        }
        const std::string out_path = argv[1];
        // The link owns (and closes) the archives added to it; the bytes stay here.
        std::vector<std::unique_ptr<Input>> inputs;
        for (int i = 2; i < argc; i += 2) {
            auto in = std::make_unique<Input>();
            in->module = argv[i];
            open_input(*in, argv[i + 1]);
            inputs.push_back(std::move(in));
        }
        Input parent_again;
        parent_again.module = inputs.front()->module;
        open_input(parent_again, argv[3]);
        int err = 0;
        ctf_dict_t* out = ctf_create(&err);
        if (!out) die(std::string("ctf_create: ") + ctf_errmsg(err));
        auto check = [&](int rc, const std::string& what) {
            if (rc < 0) die(what + ": " + ctf_errmsg(ctf_errno(out)));
        };
        // The parent goes in twice: libctf puts a type in the shared (parent) dict when more
        // than one input has it (CTF_LINK_SHARE_DUPLICATED), so every parent type lands there,
        // and a child's type that the parent also has is shared rather than copied.
        Input& parent = *inputs.front();
        check(ctf_link_add_ctf(out, parent.arc, (parent.module + "#1").c_str()), "add " + parent.module);
        check(ctf_link_add_ctf(out, parent_again.arc, (parent.module + "#2").c_str()), "add " + parent.module);
        for (size_t i = 1; i < inputs.size(); ++i) {
            check(ctf_link_add_ctf(out, inputs[i]->arc, inputs[i]->module.c_str()), "add " + inputs[i]->module);
            check(ctf_link_add_cu_mapping(out, inputs[i]->module.c_str(), inputs[i]->module.c_str()),
                  "map " + inputs[i]->module);
        }
        // Children come out named after their CU (the source path); name them by module.
        ctf_link_set_memb_name_changer(out, [](ctf_dict_t*, const char* name, void* arg) -> char* {
            for (const auto& in : *static_cast<std::vector<std::unique_ptr<Input>>*>(arg))
                if (in->cuname == name || in->module == name) return strdup(in->module.c_str());
            return nullptr;
        }, &inputs);
        check(ctf_link(out, CTF_LINK_SHARE_DUPLICATED), "link");
        check(ctf_cuname_set(out, parent.module.c_str()), "name");
        size_t n = 0;
        unsigned char* mem = ctf_link_write(out, &n, static_cast<size_t>(-1));
        if (!mem) die(std::string("write: ") + ctf_errmsg(ctf_errno(out)));
        const std::string tmp = out_path + ".tmp";
        {
            std::ofstream o(tmp, std::ios::binary);
            o.write(reinterpret_cast<const char*>(mem), static_cast<std::streamsize>(n));
            if (!o) die(tmp + ": cannot write");
        }
        std::free(mem);
        ctf_dict_close(out);
        if (std::rename(tmp.c_str(), out_path.c_str()) != 0) die(out_path + ": cannot rename");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mdbsim-ctfgen: %s\n", e.what());
        return 1;
    }
}
