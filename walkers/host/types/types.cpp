// The type system (types.hpp): what it does is open CTF with GNU libctf and resolve names as mdb
// does; printing values is left to the type dcmds, reading memory to the core, and building the
// CTF to sim/ctf and cmake/Ctf.cmake.
#include "mdbsim/host/types.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <set>
#include <unordered_map>

#include "host_internal.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/ctf_array_order.hpp"

namespace mdbsim::host {
namespace {

thread_local int g_ctf_error = 0;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// An archive member's name as a module name: gcc names a dict after its compilation unit's
// source path, and cmake/Ctf.cmake makes that <module>.c.
std::string module_name_of_member(std::string_view member) {
    if (auto slash = member.rfind('/'); slash != std::string_view::npos) member.remove_prefix(slash + 1);
    if (auto dot = member.rfind('.'); dot != std::string_view::npos && dot > 0) member = member.substr(0, dot);
    return std::string(member);
}

// What libctf needs of an ELF object to read its CTF.
struct ElfCtf {
    std::vector<uint8_t> ctf;      // the .ctf section; empty when there is none
    std::string comment;           // the .comment section (the producers)
    // A linked object's .dynsym and .dynstr: ld keys its dicts' function and data info by
    // .dynsym and moves the names several units share into .dynstr (CtfObject::symtab).
    std::vector<uint8_t> symtab, strtab;
    size_t sym_entsize = 0;
    bool elf = false;              // the file is an ELF object at all
};

ElfCtf read_elf_ctf(const std::string& path) {
    ElfCtf out;
    elf_version(EV_CURRENT);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return out;
    auto bytes_of = [](Elf_Data* d, std::vector<uint8_t>& to) {
        if (d && d->d_buf) to.assign(static_cast<uint8_t*>(d->d_buf), static_cast<uint8_t*>(d->d_buf) + d->d_size);
    };
    if (Elf* e = elf_begin(fd, ELF_C_READ, nullptr)) {
        size_t shstrndx = 0;
        out.elf = elf_kind(e) == ELF_K_ELF;
        if (out.elf && elf_getshdrstrndx(e, &shstrndx) == 0) {
            for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
                GElf_Shdr sh;
                if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS) continue;
                const char* n = elf_strptr(e, shstrndx, sh.sh_name);
                if (!n) continue;
                Elf_Data* d = nullptr;
                if (std::strcmp(n, ".comment") == 0 && (d = elf_getdata(s, nullptr)) && d->d_buf)
                    out.comment.append(static_cast<const char*>(d->d_buf), d->d_size);
                if (sh.sh_type == SHT_DYNSYM && out.symtab.empty()) {
                    if (Elf_Scn* str = elf_getscn(e, sh.sh_link)) {
                        bytes_of(elf_getdata(s, nullptr), out.symtab);
                        bytes_of(elf_getdata(str, nullptr), out.strtab);
                        out.sym_entsize = sh.sh_entsize;
                    }
                }
                if (std::strcmp(n, ".ctf") == 0) bytes_of(elf_getdata(s, nullptr), out.ctf);
            }
        }
        elf_end(e);
    }
    close(fd);
    if (out.symtab.empty() || out.strtab.empty()) out.symtab.clear(), out.strtab.clear(), out.sym_entsize = 0;
    return out;
}

// mdb's synthetic base types: name, encoding, kind (the LP64 and ILP32 sizes differ for long).
struct Intrinsic {
    const char* name;
    uint32_t format;
    uint32_t bits32;
    uint32_t bits64;
    int kind;
};
constexpr Intrinsic kIntrinsics[] = {
    {"void", CTF_INT_SIGNED, 0, 0, CTF_K_INTEGER},
    {"signed", CTF_INT_SIGNED, 32, 32, CTF_K_INTEGER},
    {"unsigned", 0, 32, 32, CTF_K_INTEGER},
    {"char", CTF_INT_SIGNED | CTF_INT_CHAR, 8, 8, CTF_K_INTEGER},
    {"short", CTF_INT_SIGNED, 16, 16, CTF_K_INTEGER},
    {"int", CTF_INT_SIGNED, 32, 32, CTF_K_INTEGER},
    {"long", CTF_INT_SIGNED, 32, 64, CTF_K_INTEGER},
    {"long long", CTF_INT_SIGNED, 64, 64, CTF_K_INTEGER},
    {"signed char", CTF_INT_SIGNED | CTF_INT_CHAR, 8, 8, CTF_K_INTEGER},
    {"signed short", CTF_INT_SIGNED, 16, 16, CTF_K_INTEGER},
    {"signed int", CTF_INT_SIGNED, 32, 32, CTF_K_INTEGER},
    {"signed long", CTF_INT_SIGNED, 32, 64, CTF_K_INTEGER},
    {"signed long long", CTF_INT_SIGNED, 64, 64, CTF_K_INTEGER},
    {"unsigned char", CTF_INT_CHAR, 8, 8, CTF_K_INTEGER},
    {"unsigned short", 0, 16, 16, CTF_K_INTEGER},
    {"unsigned int", 0, 32, 32, CTF_K_INTEGER},
    {"unsigned long", 0, 32, 64, CTF_K_INTEGER},
    {"unsigned long long", 0, 64, 64, CTF_K_INTEGER},
    {"_Bool", CTF_INT_BOOL, 8, 8, CTF_K_INTEGER},
    {"float", CTF_FP_SINGLE, 32, 32, CTF_K_FLOAT},
    {"double", CTF_FP_DOUBLE, 64, 64, CTF_K_FLOAT},
    {"long double", CTF_FP_LDOUBLE, 128, 128, CTF_K_FLOAT},
    {"float imaginary", CTF_FP_IMAGRY, 32, 32, CTF_K_FLOAT},
    {"double imaginary", CTF_FP_DIMAGRY, 64, 64, CTF_K_FLOAT},
    {"long double imaginary", CTF_FP_LDIMAGRY, 128, 128, CTF_K_FLOAT},
    {"float complex", CTF_FP_CPLX, 64, 64, CTF_K_FLOAT},
    {"double complex", CTF_FP_DCPLX, 128, 128, CTF_K_FLOAT},
    {"long double complex", CTF_FP_LDCPLX, 256, 256, CTF_K_FLOAT},
};
// typedef name -> base, per model.
struct SynthTypedef {
    const char* base32;
    const char* base64;
    const char* name;
};
constexpr SynthTypedef kSynthTypedefs[] = {
    {"char", "char", "int8_t"},
    {"short", "short", "int16_t"},
    {"int", "int", "int32_t"},
    {"long long", "long", "int64_t"},
    {"int", "long", "intptr_t"},
    {"unsigned char", "unsigned char", "uint8_t"},
    {"unsigned short", "unsigned short", "uint16_t"},
    {"unsigned", "unsigned", "uint32_t"},
    {"unsigned long long", "unsigned long", "uint64_t"},
    {"unsigned char", "unsigned char", "uchar_t"},
    {"unsigned short", "unsigned short", "ushort_t"},
    {"unsigned", "unsigned", "uint_t"},
    {"unsigned long", "unsigned long", "ulong_t"},
    {"unsigned long long", "unsigned long long", "u_longlong_t"},
    {"int", "long", "ptrdiff_t"},
    {"unsigned", "unsigned long", "uintptr_t"},
};

// gcc's base type names and illumos' for the same types, longest first so that a phrase is
// never rewritten through a shorter one.
constexpr std::pair<const char*, const char*> kBaseNames[] = {
    {"long long unsigned int", "unsigned long long"},
    {"long long int", "long long"},
    {"long unsigned int", "unsigned long"},
    {"short unsigned int", "unsigned short"},
    {"long int", "long"},
    {"short int", "short"},
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Rewrites base type names word-wise in one left-to-right pass: at each word boundary the
// longest table phrase that matches whole words is replaced and skipped, so that a replacement
// is never rewritten again ("unsigned long" -> "long unsigned int", not "long int unsigned int").
std::string rewrite_words(const std::string& s, bool to_illumos) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        if (!word_char(s[i]) || (i > 0 && word_char(s[i - 1]))) {
            out += s[i++];
            continue;
        }
        size_t best = 0;
        const char* repl = nullptr;
        for (const auto& [gcc, ill] : kBaseNames) {
            const std::string_view from = to_illumos ? gcc : ill;
            if (from.size() > best && s.compare(i, from.size(), from) == 0 &&
                (i + from.size() == s.size() || !word_char(s[i + from.size()]))) {
                // "unsigned long" followed by " long" is "unsigned long long", a longer phrase.
                if (!to_illumos && s.compare(i + from.size(), 5, " long") == 0) continue;
                best = from.size();
                repl = to_illumos ? ill : gcc;
            }
        }
        if (repl) {
            out += repl;
            i += best;
        } else {
            while (i < s.size() && word_char(s[i])) out += s[i++];
        }
    }
    return out;
}

int fail_ctf(ctf_dict_t* fp) { return set_errno(ctf_to_errno(fp ? ctf_errno(fp) : ECTF_NOTYPE)); }

}  // namespace

namespace {

// A C declaration of a type, laid out by precedence as illumos' libctf does for ctf_type_name
// (its ctf_decl.c): the type graph is walked to the base type, each node filed under its
// declarator's precedence; printing goes level by level, parenthesising a pointer that binds
// looser in the graph than C's syntax would (`int (*)()`, `int (*)[3]`). GNU libctf's own names
// differ from mdb's (a function pointer is `int (*)(*) (void *)`, a function `int (*) (void *)`,
// and it writes C-nested multi-dimensional arrays' dimensions in reverse), so mdbsim names types
// itself. As ctf_type_name (no declarator name given), functions print no parameters: `()`.
class Declaration {
public:
    explicit Declaration(ctf_dict_t* fp) : fp_(fp) {}

    bool build(ctf_id_t id) {
        push(id, 0);
        return ok_;
    }

    std::string str() const {
        const bool ptr = order_[kPointer] > kPointer;
        const bool arr = order_[kArray] > kArray;
        const int rp = arr ? kArray : ptr ? kPointer : -1;
        int lp = ptr ? kPointer : arr ? kArray : -1;
        std::string out;
        int prev = CTF_K_POINTER;  // no blank before the first word
        for (int prec = kBase; prec < kLevels; ++prec) {
            for (const Node& n : nodes_[prec]) {
                if (prev != CTF_K_POINTER && prev != CTF_K_ARRAY) out += ' ';
                if (lp == prec) {
                    out += '(';
                    lp = -1;
                }
                word(out, n);
                prev = n.kind;
            }
            if (rp == prec) out += ')';
        }
        return out;
    }

private:
    enum { kBase, kPointer, kArray, kFunction, kLevels };
    struct Node {
        ctf_id_t id;
        int kind;
        unsigned long n;
    };

    std::string name_of(ctf_id_t id) const {
        const char* n = ctf_type_name_raw(fp_, id);
        return n ? n : "";
    }

    // Appends, not operator+: gcc 12's -Wrestrict misfires on string concatenation chains.
    void word(std::string& out, const Node& n) const {
        switch (n.kind) {
        case CTF_K_INTEGER: out.append(rewrite_words(name_of(n.id), true)); break;
        case CTF_K_FLOAT:
        case CTF_K_TYPEDEF: out.append(name_of(n.id)); break;
        case CTF_K_POINTER: out.append("*"); break;
        case CTF_K_ARRAY: out.append("[").append(std::to_string(n.n)).append("]"); break;
        case CTF_K_FUNCTION: out.append("()"); break;
        case CTF_K_STRUCT: out.append("struct ").append(name_of(n.id)); break;
        case CTF_K_UNION: out.append("union ").append(name_of(n.id)); break;
        case CTF_K_ENUM: out.append("enum ").append(name_of(n.id)); break;
        case CTF_K_FORWARD: {
            // illumos' forwards are all structs; GNU's remember what they forward.
            const int fk = ctf_type_kind_forwarded(fp_, n.id);
            out.append(fk == CTF_K_UNION ? "union " : fk == CTF_K_ENUM ? "enum " : "struct ").append(name_of(n.id));
            break;
        }
        case CTF_K_VOLATILE: out.append("volatile"); break;
        case CTF_K_CONST: out.append("const"); break;
        case CTF_K_RESTRICT: out.append("restrict"); break;
        default: out.append("?"); break;
        }
    }

    void push(ctf_id_t id, int depth) {
        if (!ok_ || depth > 64) {  // a cycle in a corrupt dict
            ok_ = false;
            return;
        }
        int kind = ctf_type_kind(fp_, id);
        if (kind < 0) {
            ok_ = false;
            return;
        }
        // A bitfield's slice reports the kind of the integer (or enum) it slices and refers to
        // it, which a plain integer or enum never does: name it as that type.
        if (kind == CTF_K_INTEGER || kind == CTF_K_FLOAT || kind == CTF_K_ENUM) {
            const ctf_id_t r = ctf_type_reference(fp_, id);
            if (r != CTF_ERR) {
                push(r, depth + 1);
                return;
            }
        }
        int prec = kBase;
        unsigned long n = 1;
        bool qual = false;
        switch (kind) {
        case CTF_K_ARRAY: {
            ctf_arinfo_t a;
            if (ctf_array_info(fp_, id, &a) < 0) {
                ok_ = false;
                return;
            }
            push(a.ctr_contents, depth + 1);
            n = a.ctr_nelems;
            prec = kArray;
            break;
        }
        case CTF_K_TYPEDEF:
            if (name_of(id).empty()) {
                push(ctf_type_reference(fp_, id), depth + 1);
                return;
            }
            break;
        case CTF_K_FUNCTION: {
            ctf_funcinfo_t fi;
            if (ctf_func_type_info(fp_, id, &fi) < 0) {
                ok_ = false;
                return;
            }
            push(fi.ctc_return, depth + 1);
            prec = kFunction;
            break;
        }
        case CTF_K_POINTER:
            push(ctf_type_reference(fp_, id), depth + 1);
            prec = kPointer;
            break;
        case CTF_K_VOLATILE:
        case CTF_K_CONST:
        case CTF_K_RESTRICT:
            push(ctf_type_reference(fp_, id), depth + 1);
            prec = qualp_;
            qual = true;
            break;
        default: break;
        }
        if (!ok_) return;
        if (nodes_[prec].empty()) order_[prec] = ordp_++;
        if (prec > qualp_ && prec < kArray) qualp_ = prec;
        // Array declarators read inside out, so an outer array goes before the inner ones it was
        // pushed after; a qualifier of a base type goes before it (`const int`).
        const Node node{id, kind, n};
        if (kind == CTF_K_ARRAY || (qual && prec == kBase))
            nodes_[prec].insert(nodes_[prec].begin(), node);
        else
            nodes_[prec].push_back(node);
    }

    ctf_dict_t* fp_;
    std::vector<Node> nodes_[kLevels];
    int order_[kLevels] = {-1, -1, -1, -1};
    int ordp_ = 0;
    int qualp_ = kBase;
    bool ok_ = true;
};

}  // namespace

std::string illumos_type_name(TypeRef t) {
    if (!t.valid()) return {};
    Declaration d(t.fp);
    if (!d.build(t.id)) return {};
    return d.str();
}

std::string gcc_type_name(std::string_view name) { return rewrite_words(std::string(name), false); }

int last_ctf_error() { return g_ctf_error; }
int ctf_to_errno(int ctf_error) {
    g_ctf_error = ctf_error;
    return EMDB_CTF;
}

mdb_ctf_id_t to_mdb_id(TypeRef t) {
    mdb_ctf_id_t id;
    id._opaque[0] = t.fp;
    id._opaque[1] = reinterpret_cast<void*>(static_cast<uintptr_t>(t.id));
    return id;
}

TypeRef from_mdb_id(mdb_ctf_id_t id) {
    return {static_cast<ctf_dict_t*>(id._opaque[0]), static_cast<ctf_id_t>(reinterpret_cast<uintptr_t>(id._opaque[1]))};
}

// One opened CTF archive (or lone dict): its bytes, the archive and the dicts opened from it.
struct TypeSystem::Archive {
    std::shared_ptr<const std::vector<uint8_t>> bytes;
    ctf_archive_t* arc = nullptr;
    std::vector<ctf_dict_t*> dicts;  // [0] the parent (default member), then the children
    std::vector<std::string> names;  // member names, parallel
    std::unordered_map<std::string, TypeRef> found;  // for dmods: names looked up before
    std::deque<std::vector<uint8_t>> renested;  // the re-nested dicts' bytes (open_renested)
    // A linked object's .dynsym and .dynstr (sim::CtfObject::symtab), or null.
    std::shared_ptr<const std::vector<uint8_t>> symtab, strtab;
    size_t sym_entsize = 0;

    // The symbol and external string tables for libctf, or null when there are none.
    const ctf_sect_t* symsect(ctf_sect_t* s) const {
        if (!symtab || symtab->empty() || sym_entsize == 0) return nullptr;
        *s = ctf_sect_t{".dynsym", symtab->data(), symtab->size(), sym_entsize};
        return s;
    }
    const ctf_sect_t* strsect(ctf_sect_t* s) const {
        if (!strtab || strtab->empty()) return nullptr;
        *s = ctf_sect_t{".dynstr", strtab->data(), strtab->size(), 0};
        return s;
    }
    void set_symbols(std::vector<uint8_t> sym, std::vector<uint8_t> str, size_t entsize) {
        if (sym.empty() || str.empty()) return;
        symtab = std::make_shared<const std::vector<uint8_t>>(std::move(sym));
        strtab = std::make_shared<const std::vector<uint8_t>>(std::move(str));
        sym_entsize = entsize;
    }

    ~Archive() {
        for (auto* d : dicts) ctf_dict_close(d);
        if (arc) ctf_arc_close(arc);
    }

    // renest: the bytes nest multi-dimensional arrays as gcc 12 and 13 do; open a copy re-nested
    // in C order (ctf_array_order.hpp), or the bytes as they are when that copy cannot be made.
    bool open(std::shared_ptr<const std::vector<uint8_t>> b, bool renest) {
        bytes = std::move(b);
        if (!bytes || bytes->empty()) return false;
        if (renest && open_renested()) return true;
        ctf_sect_t s{".ctf", bytes->data(), bytes->size(), 0};
        int err = 0;
        ctf_sect_t sym, str;
        arc = ctf_arc_bufopen(&s, symsect(&sym), strsect(&str), &err);
        if (!arc) {
            g_ctf_error = err;
            return false;
        }
        ctf_dict_t* parent = ctf_dict_open(arc, nullptr, &err);
        if (!parent) {
            g_ctf_error = err;
            return false;
        }
        dicts.push_back(parent);
        names.emplace_back("");
        ctf_archive_iter(arc, [](ctf_dict_t* fp, const char* name, void* arg) {
            auto* a = static_cast<Archive*>(arg);
            if (std::strcmp(name, ".ctf") == 0) return 0;
            int e = 0;
            // Reopen by name: the iterator's dict is closed when the callback returns.
            (void)fp;
            ctf_dict_t* d = ctf_dict_open(a->arc, name, &e);
            if (d) {
                ctf_import(d, a->dicts.front());
                a->dicts.push_back(d);
                a->names.emplace_back(name);
            }
            return 0;
        }, this);
        return true;
    }

    bool open_renested() {
        std::vector<sim::CtfDictBytes> parts;
        std::string why;
        if (!sim::split_ctf_section(bytes->data(), bytes->size(), parts, &why) || sim::nest_arrays_as_c(parts, &why) < 0)
            return false;
        for (auto& p : parts) {
            renested.push_back(std::move(p.bytes));
            const std::vector<uint8_t>& own = renested.back();
            ctf_sect_t s{".ctf", own.data(), own.size(), 0};
            int err = 0;
            ctf_sect_t sym, str;
            ctf_dict_t* d = ctf_bufopen(&s, symsect(&sym), strsect(&str), &err);
            if (!d) {
                g_ctf_error = err;
                if (dicts.empty()) return false;
                continue;
            }
            if (!dicts.empty()) ctf_import(d, dicts.front());
            dicts.push_back(d);
            names.push_back(dicts.size() == 1 ? std::string() : p.name);
        }
        return !dicts.empty();
    }
};

TypeSystem::TypeSystem(const sim::Target& target) : symbols_(&target.symbols()) {
    int err = 0;
    synth_ = ctf_create(&err);
    scratch_ = ctf_create(&err);
    std::set<std::string> seen;
    for (const auto& obj : target.ctf()) {
        auto a = std::make_unique<Archive>();
        if (obj.symtab && obj.strtab) {
            a->symtab = obj.symtab;
            a->strtab = obj.strtab;
            a->sym_entsize = obj.sym_entsize;
        }
        if (!a->open(obj.data, obj.gcc_array_order)) continue;
        for (size_t i = 0; i < a->dicts.size(); ++i) {
            std::string name = i == 0 ? obj.name : module_name_of_member(a->names[i]);
            if (name.empty() || !seen.insert(name).second) continue;
            modules_.push_back({name, a->dicts[i], i == 0 ? std::string() : obj.name});
        }
        archives_.push_back(std::move(a));
    }
    // An object of the symbol table with no types of its own sees the first archive's parent
    // types, as an illumos module whose CTF is all in genunix does.
    if (!modules_.empty())
        for (const auto& o : target.symbols().objects())
            if (!seen.count(o)) aliases_.emplace(o, modules_.front().name);
}

TypeSystem::~TypeSystem() {
    dmods_.clear();
    archives_.clear();
    if (scratch_) ctf_dict_close(scratch_);
    if (synth_) ctf_dict_close(synth_);
}

ctf_dict_t* TypeSystem::module_dict(std::string_view module) const {
    if (module == "typedef") return synth_;
    std::string_view m = module;
    if (auto it = aliases_.find(module); it != aliases_.end()) m = it->second;
    for (const auto& mt : modules_)
        if (mt.name == m) return mt.dict;
    if (symbols_ && symbols_->has_object(module)) {
        set_errno(EMDB_NOCTF);
        return nullptr;
    }
    set_errno(EMDB_NOOBJ);
    return nullptr;
}

TypeRef TypeSystem::lookup_plain(std::string_view object, std::string_view name) {
    // Users write illumos' names; gcc's CTF has DWARF's for base types, the synthetic types
    // (made by mdbsim) illumos' own. Try both.
    const std::string raw(trim(name));
    const std::string gcc = gcc_type_name(raw);
    if (raw.empty()) {
        set_errno(ctf_to_errno(ECTF_SYNTAX));
        return {};
    }
    auto find = [&](ctf_dict_t* fp) {
        ctf_id_t id = ctf_lookup_by_name(fp, gcc.c_str());
        if (id == CTF_ERR && gcc != raw) id = ctf_lookup_by_name(fp, raw.c_str());
        return id;
    };
    if (!object.empty()) {
        ctf_dict_t* fp = module_dict(object);
        if (!fp) return {};
        const ctf_id_t id = find(fp);
        if (id == CTF_ERR) {
            fail_ctf(fp);
            return {};
        }
        return {fp, id};
    }
    TypeRef forward;
    int err = ECTF_NOTYPE;
    for (const auto& mt : modules_) {
        const ctf_id_t id = find(mt.dict);
        if (id == CTF_ERR) {
            err = ctf_errno(mt.dict);
            continue;
        }
        if (ctf_type_kind(mt.dict, id) != CTF_K_FORWARD) return {mt.dict, id};
        if (!forward.valid()) forward = {mt.dict, id};
    }
    if (forward.valid()) return forward;
    if (synth_) {
        const ctf_id_t id = find(synth_);
        if (id != CTF_ERR) return {synth_, id};
    }
    if (modules_.empty() && (!synth_ || ctf_type_iter(synth_, [](ctf_id_t, void*) { return 1; }, nullptr) == 0)) {
        set_errno(EMDB_NOCTF);
        return {};
    }
    set_errno(ctf_to_errno(err));
    return {};
}

TypeRef TypeSystem::import(TypeRef t) {
    if (t.fp == scratch_) return t;
    auto key = std::make_pair(t.fp, t.id);
    if (auto it = imported_.find(key); it != imported_.end()) return {scratch_, it->second};
    const ctf_id_t id = ctf_add_type(scratch_, t.fp, t.id);
    if (id == CTF_ERR) {
        fail_ctf(scratch_);
        return {};
    }
    imported_[key] = id;
    return {scratch_, id};
}

// Applies a declarator suffix ("*", "[4]", "*[2]") to a type, making the derived types that do
// not exist yet in the scratch dict.
TypeRef TypeSystem::derive(TypeRef base, std::string_view suffix) {
    TypeRef cur = base;
    std::vector<unsigned> dims;
    size_t i = 0;
    while (i < suffix.size()) {
        const char c = suffix[i];
        if (c == ' ' || c == '\t') {
            ++i;
        } else if (c == '*') {
            if (!dims.empty()) break;  // "int [2] *" is not C; leave it to the error below
            ctf_id_t p = ctf_type_pointer(cur.fp, cur.id);
            if (p != CTF_ERR) {
                cur = {cur.fp, p};
            } else {
                TypeRef in = import(cur);
                if (!in.valid()) return {};
                p = ctf_type_pointer(scratch_, in.id);
                if (p == CTF_ERR) p = ctf_add_pointer(scratch_, CTF_ADD_NONROOT, in.id);
                if (p == CTF_ERR) {
                    fail_ctf(scratch_);
                    return {};
                }
                cur = {scratch_, p};
            }
            ++i;
        } else if (c == '[') {
            const size_t close = suffix.find(']', i);
            if (close == std::string_view::npos) break;
            const std::string num(trim(suffix.substr(i + 1, close - i - 1)));
            char* end = nullptr;
            errno = 0;
            const unsigned long n = std::strtoul(num.c_str(), &end, 0);
            if (num.empty() || *end != '\0' || errno != 0 || n > 0xffffffffUL) break;
            dims.push_back(static_cast<unsigned>(n));
            i = close + 1;
        } else {
            break;
        }
    }
    if (i != suffix.size()) {
        set_errno(ctf_to_errno(ECTF_SYNTAX));
        return {};
    }
    // "int [2][3]" is an array of 2 arrays of 3 ints: build from the innermost dimension.
    for (auto it = dims.rbegin(); it != dims.rend(); ++it) {
        TypeRef in = import(cur);
        if (!in.valid()) return {};
        ctf_id_t index = ctf_lookup_by_name(scratch_, "long unsigned int");
        if (index == CTF_ERR) {
            const ctf_encoding_t e{0, 0, 64};
            index = ctf_add_integer(scratch_, CTF_ADD_ROOT, "long unsigned int", &e);
        }
        const ctf_arinfo_t ar{in.id, index, *it};
        const ctf_id_t a = ctf_add_array(scratch_, CTF_ADD_NONROOT, &ar);
        if (a == CTF_ERR) {
            fail_ctf(scratch_);
            return {};
        }
        cur = {scratch_, a};
    }
    return cur;
}

// From the length and the first and last eight bytes: type names differ there, and a loop over
// every byte cost more than the probe it saves.
size_t TypeSystem::name_memo_slot(std::string_view name) {
    uint64_t a = 0, b = 0;
    const size_t n = name.size();
    if (n >= 8) {
        std::memcpy(&a, name.data(), 8);
        std::memcpy(&b, name.data() + n - 8, 8);
    } else {
        std::memcpy(&a, name.data(), n);
    }
    const uint64_t h = (a ^ ((b << 29) | (b >> 35)) ^ n) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> 59) % kNameMemos;
}

TypeRef TypeSystem::lookup(std::string_view cname) {
    const bool memoizable = !cname.empty() && cname.size() < sizeof(NameMemo::name);
    NameMemo* memo = nullptr;
    if (memoizable) {
        // Two ways, as the member memo.
        const size_t slot = name_memo_slot(cname);
        for (size_t way = 0; way < 2; ++way) {
            const NameMemo& m = name_memo_[slot ^ way];
            if (m.len == cname.size() && std::memcmp(m.name, cname.data(), cname.size()) == 0) return m.type;
        }
        memo = name_memo_[slot].len != 0 && name_memo_[slot ^ 1].len == 0 ? &name_memo_[slot ^ 1] : &name_memo_[slot];
    }
    TypeRef t;
    if (auto it = cache_.find(cname); it != cache_.end()) {
        t = it->second;
    } else {
        t = lookup_uncached(cname);
        // Only the read-only dicts' answers: the synthetic container can also change under the
        // type dcmds' own ctf_snapshot/ctf_rollback, which would leave a cached id dangling.
        if (!t.valid() || t.fp == synth_) return t;
        cache_.emplace(std::string(cname), t);
    }
    if (memo != nullptr) {
        memo->len = static_cast<uint8_t>(cname.size());
        std::memcpy(memo->name, cname.data(), cname.size());
        memo->type = t;
    }
    return t;
}

TypeRef TypeSystem::lookup_uncached(std::string_view cname) {
    std::string name(trim(cname));
    std::string object;
    // "obj`name", and mdb's "struct obj`name" (the keyword moves back in front of the name).
    if (auto tick = name.rfind('`'); tick != std::string::npos) {
        std::string left = name.substr(0, tick);
        std::string right = name.substr(tick + 1);
        if (auto sp = left.find(' '); sp != std::string::npos) {
            object = std::string(trim(left.substr(sp + 1)));
            name = left.substr(0, sp) + " " + right;
        } else {
            object = left;
            name = right;
        }
    }
    // Declarator suffix: everything from the first '*' or '['.
    const size_t cut = name.find_first_of("*[");
    const std::string base = std::string(trim(name.substr(0, cut)));
    // A pointer libctf already has is found whole ("char *"); only then derive.
    TypeRef whole = lookup_plain(object, name);
    if (whole.valid() || cut == std::string::npos) return whole;
    const int saved = errno;
    TypeRef b = lookup_plain(object, base);
    if (!b.valid()) {
        errno = saved == EMDB_CTF ? errno : saved;
        return {};
    }
    return derive(b, std::string_view(name).substr(cut));
}

namespace {

// A symbol's type from a dict's function or data info. A linked object's is keyed by the
// symbol table libctf was given; an object file's is indexed by name and needs none, but
// libctf's lookup by name still wants one, so the index is walked instead.
// *err gets libctf's reason when there is none.
ctf_id_t symbol_info_type(ctf_dict_t* d, const std::string& name, bool function, int* err) {
    ctf_id_t id = ctf_lookup_by_symbol_name(d, name.c_str());
    *err = id == CTF_ERR ? ctf_errno(d) : 0;
    if (id != CTF_ERR || *err != ECTF_NOSYMTAB) return id;
    ctf_next_t* it = nullptr;
    const char* n = nullptr;
    ctf_id_t t;
    while ((t = ctf_symbol_next(d, &it, &n, function ? 1 : 0)) != CTF_ERR)
        if (n && name == n) {
            ctf_next_destroy(it);
            *err = 0;
            return t;
        }
    *err = ECTF_NOTYPEDAT;
    return CTF_ERR;
}

}  // namespace

std::vector<ctf_dict_t*> TypeSystem::symbol_dicts(ctf_dict_t* fp) const {
    for (const auto& a : archives_)
        if (!a->dicts.empty() && a->dicts.front() == fp) return a->dicts;
    std::vector<ctf_dict_t*> out{fp};
    if (ctf_dict_t* parent = ctf_parent_dict(fp)) out.push_back(parent);
    return out;
}

TypeRef TypeSystem::symbol_type(const sim::Symbol& sym) {
    if (!sym.type.empty()) {
        TypeRef t = lookup(sym.object + "`" + sym.type);
        if (t.valid()) return t;
    }
    ctf_dict_t* fp = module_dict(sym.object);
    if (!fp) return {};
    // illumos' ctf_lookup_by_symbol: a function has a signature (function_type), not a data type.
    if (GELF_ST_TYPE(sym.sym.st_info) == STT_FUNC) {
        set_errno(ctf_to_errno(ECTF_NOTDATA));
        return {};
    }
    const std::vector<ctf_dict_t*> dicts = symbol_dicts(fp);
    // An object file's variables (gcc's variable section); libctf's linker keeps one with the
    // parent when its type is there.
    for (ctf_dict_t* d : dicts) {
        const ctf_id_t id = ctf_lookup_variable(d, sym.name.c_str());
        if (id != CTF_ERR) return {d, id};
    }
    // A linked object's data objects, keyed by its symbol table.
    int first = 0;
    for (ctf_dict_t* d : dicts) {
        int err = 0;
        const ctf_id_t id = symbol_info_type(d, sym.name, false, &err);
        if (id != CTF_ERR && ctf_type_kind(d, id) != CTF_K_FUNCTION) return {d, id};
        if (first == 0) first = err;
    }
    set_errno(ctf_to_errno(first != 0 ? first : ECTF_NOTYPEDAT));
    return {};
}

TypeRef TypeSystem::function_type(const sim::Symbol& sym) {
    ctf_dict_t* fp = module_dict(sym.object);
    if (!fp) return {};
    // A linked object's function info is in its parent dict, or in the child of the unit that
    // defines the function when its type cites a type the units disagree on.
    int first = -1;
    for (ctf_dict_t* d : symbol_dicts(fp)) {
        int err = 0;
        const ctf_id_t id = symbol_info_type(d, sym.name, true, &err);
        if (id != CTF_ERR && ctf_type_kind(d, id) == CTF_K_FUNCTION) return {d, id};
        if (first < 0) first = err;
    }
    // The object's own dict says why (no function info, no such symbol); a data object's type
    // is not a function's.
    set_errno(ctf_to_errno(first > 0 ? first : ECTF_NOTFUNC));
    return {};
}

std::vector<std::string> TypeSystem::type_names(std::string_view module) const {
    std::set<std::string> out;
    auto collect = [&out](ctf_dict_t* fp) {
        std::pair<std::set<std::string>*, ctf_dict_t*> arg{&out, fp};
        ctf_type_iter(fp, [](ctf_id_t id, void* a) {
            auto* p = static_cast<std::pair<std::set<std::string>*, ctf_dict_t*>*>(a);
            char buf[512];
            if (ctf_type_name(p->second, id, buf, sizeof buf) && buf[0] != '\0') {
                const std::string s = illumos_type_name({p->second, id});
                if (s != "struct " && s != "union " && s != "enum " && s.find("(anon)") == std::string::npos)
                    p->first->insert(s);
            }
            return 0;
        }, &arg);
    };
    if (module == "typedef") {
        if (synth_) collect(synth_);
    } else if (!module.empty()) {
        if (ctf_dict_t* fp = module_dict(module)) collect(fp);
    } else {
        for (const auto& mt : modules_) collect(mt.dict);
        if (synth_) collect(synth_);
    }
    return {out.begin(), out.end()};
}

// ---- synthetic types ----

int TypeSystem::reset_synthetics() {
    types_changed();
    if (synth_) ctf_dict_close(synth_);
    int err = 0;
    synth_ = ctf_create(&err);
    if (!synth_) return set_errno(ctf_to_errno(err));
    return 0;
}

int TypeSystem::create_base(DataModel model) {
    // Added next to whatever ::typedef made before, as mdb's mdb_ctf_synthetics_create_base does:
    // only ::typedef -d empties the container.
    types_changed();
    if (!synth_ && reset_synthetics() != 0) return -1;
    const bool lp64 = model == DataModel::lp64;
    for (const auto& in : kIntrinsics) {
        const ctf_encoding_t e{in.format, 0, lp64 ? in.bits64 : in.bits32};
        const ctf_id_t id = in.kind == CTF_K_INTEGER ? ctf_add_integer(synth_, CTF_ADD_ROOT, in.name, &e)
                                                     : ctf_add_float(synth_, CTF_ADD_ROOT, in.name, &e);
        if (id == CTF_ERR) return fail_ctf(synth_);
    }
    for (const auto& td : kSynthTypedefs) {
        const ctf_id_t base = ctf_lookup_by_name(synth_, lp64 ? td.base64 : td.base32);
        if (base == CTF_ERR || ctf_add_typedef(synth_, CTF_ADD_ROOT, td.name, base) == CTF_ERR)
            return fail_ctf(synth_);
    }
    return 0;
}

int TypeSystem::add_typedef(std::string_view name, TypeRef type, TypeRef* out) {
    types_changed();
    if (!type.valid()) return set_errno(EINVAL);
    const std::string n(name);
    if (lookup(n).valid()) return set_errno(EEXIST);
    ctf_id_t ref = type.fp == synth_ ? type.id : ctf_add_type(synth_, type.fp, type.id);
    if (ref == CTF_ERR) return fail_ctf(synth_);
    const ctf_id_t id = ctf_add_typedef(synth_, CTF_ADD_ROOT, n.c_str(), ref);
    if (id == CTF_ERR) return fail_ctf(synth_);
    if (out) *out = {synth_, id};
    return 0;
}

int TypeSystem::add_struct(std::string_view name, TypeRef* out) {
    types_changed();
    const std::string n(name);
    if (!n.empty() && lookup("struct " + n).valid()) return set_errno(EEXIST);
    const ctf_id_t id = ctf_add_struct(synth_, CTF_ADD_ROOT, n.empty() ? nullptr : n.c_str());
    if (id == CTF_ERR) return fail_ctf(synth_);
    if (out) *out = {synth_, id};
    return 0;
}

int TypeSystem::add_union(std::string_view name, TypeRef* out) {
    types_changed();
    const std::string n(name);
    if (!n.empty() && lookup("union " + n).valid()) return set_errno(EEXIST);
    const ctf_id_t id = ctf_add_union(synth_, CTF_ADD_ROOT, n.empty() ? nullptr : n.c_str());
    if (id == CTF_ERR) return fail_ctf(synth_);
    if (out) *out = {synth_, id};
    return 0;
}

int TypeSystem::add_member(TypeRef su, std::string_view name, TypeRef type, TypeRef* out) {
    types_changed();
    if (su.fp != synth_ || !type.valid()) return set_errno(EINVAL);
    ctf_id_t mt = type.fp == synth_ ? type.id : ctf_add_type(synth_, type.fp, type.id);
    if (mt == CTF_ERR) return fail_ctf(synth_);
    const std::string n(name);
    if (ctf_add_member(synth_, su.id, n.c_str(), mt) < 0) return fail_ctf(synth_);
    if (out) *out = {synth_, mt};
    return 0;
}

int TypeSystem::add_array(TypeRef contents, unsigned nelems, TypeRef* out) {
    types_changed();
    if (!contents.valid()) return set_errno(EINVAL);
    ctf_id_t ct = contents.fp == synth_ ? contents.id : ctf_add_type(synth_, contents.fp, contents.id);
    if (ct == CTF_ERR) return fail_ctf(synth_);
    ctf_id_t index = ctf_lookup_by_name(synth_, "long");
    if (index == CTF_ERR) {
        const ctf_encoding_t e{CTF_INT_SIGNED, 0, 64};
        index = ctf_add_integer(synth_, CTF_ADD_NONROOT, "long", &e);
    }
    const ctf_arinfo_t ar{ct, index, nelems};
    const ctf_id_t id = ctf_add_array(synth_, CTF_ADD_ROOT, &ar);
    if (id == CTF_ERR) return fail_ctf(synth_);
    if (out) *out = {synth_, id};
    return 0;
}

int TypeSystem::add_pointer(TypeRef type, TypeRef* out) {
    types_changed();
    if (!type.valid()) return set_errno(EINVAL);
    ctf_id_t ref = type.fp == synth_ ? type.id : ctf_add_type(synth_, type.fp, type.id);
    if (ref == CTF_ERR) return fail_ctf(synth_);
    const ctf_id_t id = ctf_add_pointer(synth_, CTF_ADD_ROOT, ref);
    if (id == CTF_ERR) return fail_ctf(synth_);
    if (out) *out = {synth_, id};
    return 0;
}

int TypeSystem::import_file(const std::string& path, std::vector<ImportLeftOut>* left_out) {
    ElfCtf ec = read_elf_ctf(path);
    bool gcc_order = false;
    if (ec.elf) {
        if (ec.ctf.empty()) return set_errno(EMDB_NOCTF);
        gcc_order = sim::array_order_from_comment(ec.comment) == sim::ArrayOrder::gcc;
    } else {
        // Not ELF: the file is raw CTF, a dict or an archive (::typedef -w writes a dict).
        std::ifstream f(path, std::ios::binary);
        if (!f) return set_errno(ENOENT);
        ec.ctf.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    Archive a;
    a.set_symbols(std::move(ec.symtab), std::move(ec.strtab), ec.sym_entsize);
    if (!a.open(std::make_shared<const std::vector<uint8_t>>(std::move(ec.ctf)), gcc_order))
        return set_errno(ctf_to_errno(g_ctf_error != 0 ? g_ctf_error : ECTF_FMT));
    if (!synth_ && reset_synthetics() != 0) return -1;
    types_changed();
    const ctf_snapshot_id_t before = ctf_snapshot(synth_);
    // The parent's types, then each child's. A child holds the types its compilation unit
    // disagreed with another unit on, so a later child's version of a name the container
    // already has cannot go in beside it: that type is left out (with whatever of the child's
    // cites it), rolled back to the state before it. Anything else fails the whole import, as
    // mdb's does.
    for (size_t i = 0; i < a.dicts.size(); ++i) {
        ctf_dict_t* fp = a.dicts[i];
        ctf_next_t* it = nullptr;
        ctf_id_t id;
        while ((id = ctf_type_next(fp, &it, nullptr, 0)) != CTF_ERR) {
            const ctf_snapshot_id_t mark = ctf_snapshot(synth_);
            if (ctf_add_type(synth_, fp, id) != CTF_ERR) continue;
            const int err = ctf_errno(synth_);
            if (i > 0 && err == ECTF_CONFLICT && ctf_rollback(synth_, mark) == 0) {
                if (left_out) left_out->push_back({illumos_type_name({fp, id}), module_name_of_member(a.names[i])});
                continue;
            }
            ctf_next_destroy(it);
            ctf_rollback(synth_, before);
            return set_errno(ctf_to_errno(err));
        }
        if (ctf_errno(fp) != ECTF_NEXT_END) {
            const int err = ctf_errno(fp);
            ctf_rollback(synth_, before);
            return set_errno(ctf_to_errno(err));
        }
    }
    return 0;
}

int TypeSystem::delete_type(TypeRef t) {
    // libctf can only drop the types added since the last snapshot; mdb's ::typedef -r is a
    // reset, which reset_synthetics() does.
    if (t.fp != synth_) return set_errno(EINVAL);
    return set_errno(ENOTSUP);
}

// ---- dmod types ----

ctf_dict_t* TypeSystem::dmod_archive(const Module& m, std::vector<ctf_dict_t*>** dicts) {
    if (m.path.empty()) {
        set_errno(EMDB_NOCTF);
        return nullptr;
    }
    const std::string key = m.path + "#" + std::to_string(m.load_seq);
    auto it = dmods_.find(key);
    if (it == dmods_.end()) {
        auto a = std::make_unique<Archive>();
        ElfCtf ec = read_elf_ctf(m.path);
        a->set_symbols(std::move(ec.symtab), std::move(ec.strtab), ec.sym_entsize);
        auto bytes = std::make_shared<const std::vector<uint8_t>>(std::move(ec.ctf));
        if (!a->open(bytes, sim::array_order_from_comment(ec.comment) == sim::ArrayOrder::gcc)) a.reset();
        it = dmods_.emplace(key, std::move(a)).first;
    }
    if (!it->second) {
        set_errno(EMDB_NOCTF);
        return nullptr;
    }
    *dicts = &it->second->dicts;
    return it->second->dicts.front();
}

bool TypeSystem::dmod_has_ctf(const Module& m) {
    std::vector<ctf_dict_t*>* dicts = nullptr;
    return dmod_archive(m, &dicts) != nullptr;
}

TypeRef TypeSystem::dmod_lookup(const Module& m, std::string_view name) {
    std::vector<ctf_dict_t*>* dicts = nullptr;
    if (!dmod_archive(m, &dicts)) return {};
    const std::string n(trim(name));
    auto& found = dmods_.find(m.path + "#" + std::to_string(m.load_seq))->second->found;
    if (auto it = found.find(n); it != found.end()) return it->second;
    int err = ECTF_NOTYPE;
    // The linker keeps a type in the shared dict unless two compilation units disagree on it;
    // then each unit's version is in its own child.
    for (ctf_dict_t* fp : *dicts) {
        const ctf_id_t id = ctf_lookup_by_name(fp, n.c_str());
        if (id != CTF_ERR) return found[n] = TypeRef{fp, id};
        err = ctf_errno(fp);
    }
    set_errno(ctf_to_errno(err));
    return {};
}

void TypeSystem::forget_module(const Module& m) {
    dmods_.erase(m.path + "#" + std::to_string(m.load_seq));
    members_.clear();
    member_memo_.fill({});
    name_memo_.fill({});
}

void TypeSystem::types_changed() {
    cache_.clear();
    name_memo_.fill({});
    members_.clear();
    member_memo_.fill({});
}

size_t TypeSystem::member_memo_slot(TypeRef given, const char* name) {
    uint64_t h = (reinterpret_cast<uintptr_t>(given.fp) >> 4) ^ (static_cast<uint64_t>(given.id) << 20);
    for (const char* p = name; *p != '\0'; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 0x100000001B3ULL;
    return static_cast<size_t>((h * 0x9E3779B97F4A7C15ULL) >> 58) % kMemberMemos;
}

bool TypeSystem::member_memo_get(TypeRef given, const char* name, unsigned long* offp, TypeRef* typep) const {
    const size_t slot = member_memo_slot(given, name);
    for (size_t way = 0; way < 2; ++way) {
        const MemberMemo& m = member_memo_[slot ^ way];
        if (m.fp == nullptr || m.fp != given.fp || m.id != given.id || std::strcmp(m.name, name) != 0) continue;
        if (offp) *offp = m.off;
        if (typep) *typep = m.type;
        return true;
    }
    return false;
}

void TypeSystem::member_memo_put(TypeRef given, const char* name, unsigned long off, TypeRef type) {
    if (given.fp == nullptr || std::strlen(name) >= sizeof(MemberMemo::name)) return;
    // Two ways: the slot or its neighbour, whichever is free (else the slot): keys that hash
    // alike (the dict's address is part of the hash, so it varies from run to run) do not
    // evict each other on every command.
    const size_t slot = member_memo_slot(given, name);
    MemberMemo& m = member_memo_[slot].fp != nullptr && member_memo_[slot ^ 1].fp == nullptr ? member_memo_[slot ^ 1]
                                                                                               : member_memo_[slot];
    m.fp = given.fp;
    m.id = given.id;
    std::strcpy(m.name, name);
    m.off = off;
    m.type = type;
}

int TypeSystem::member(TypeRef su, const char* name, unsigned long* offp, TypeRef* typep) {
    auto it = members_.find({su.fp, su.id});
    if (it == members_.end()) {
        sim::CtfMemberIndex index;
        if (sim::index_ctf_members(su.fp, su.id, index) == -1) return -1;
        it = members_.emplace(std::pair{su.fp, su.id}, std::move(index)).first;
    }
    const auto m = it->second.find(name);
    if (m == it->second.end()) return 0;
    if (offp) *offp = m->second.bits;
    if (typep) *typep = {su.fp, m->second.type};
    return 1;
}

TypeSystem& session_types(Session& s) { return s.types(); }

TypeSystem& Session::types() {
    if (!types_) types_ = {new TypeSystem(target_), [](TypeSystem* t) { delete t; }};
    return *types_;
}

void Session::target_types_changed() { types_.reset(); }

}  // namespace mdbsim::host
