#include "image_symbols.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "image_format.hpp"

namespace mdbsim::sim::image {
namespace {

struct SymtabSection {
    Elf_Scn* scn = nullptr;
    GElf_Shdr shdr{};
    Elf_Data* data = nullptr;
    size_t count = 0;
};

// Checks a symbol table section's header and data; count excludes nothing (entry 0 included).
SymtabSection load_symtab(Elf* e, const std::string& path, Elf_Scn* scn, const char* what) {
    SymtabSection s;
    s.scn = scn;
    if (!gelf_getshdr(scn, &s.shdr))
        failf(path, "{}: cannot read section header: {}", what, elf_error());
    size_t shnum = 0;
    if (elf_getshdrnum(e, &shnum) != 0)
        failf(path, "cannot count sections: {}", elf_error());
    if (s.shdr.sh_link == 0 || s.shdr.sh_link >= shnum)
        failf(path, "{}: string table index {} is out of range", what, s.shdr.sh_link);
    GElf_Shdr str{};
    if (!gelf_getshdr(elf_getscn(e, s.shdr.sh_link), &str) || str.sh_type != SHT_STRTAB)
        failf(path, "{}: section {} is not a string table", what, s.shdr.sh_link);
    const size_t ent = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
    if (s.shdr.sh_entsize != ent)
        failf(path, "{}: entry size {} (expected {})", what, s.shdr.sh_entsize, ent);
    s.data = elf_getdata(scn, nullptr);
    if (!s.data)
        failf(path, "{}: cannot read symbols: {}", what, elf_error());
    if (s.data->d_size % ent != 0)
        failf(path, "{}: size {} is not a multiple of the entry size {}", what, s.data->d_size, ent);
    s.count = s.data->d_size / ent;
    return s;
}

Elf_Scn* find_section(Elf* e, GElf_Word type) {
    for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh{};
        if (gelf_getshdr(scn, &sh) && sh.sh_type == type)
            return scn;
    }
    return nullptr;
}

}  // namespace

size_t add_symbol_sections(SectionBuilder& sb, const SymbolTable& syms, const std::string& path,
                           bool spans) {
    // With spans, each object section is allocated over [lowest symbol, end of highest symbol):
    // gdb only keeps symbols that lie in an allocated section.
    std::map<std::string, std::pair<uint64_t, uint64_t>, std::less<>> span;
    for (const auto& s : syms.all()) {
        const uint64_t end = std::max(s.value() + std::max<uint64_t>(s.size(), 1), s.value());
        auto [it, fresh] = span.try_emplace(s.object, s.value(), end);
        if (!fresh) {
            it->second.first = std::min(it->second.first, s.value());
            it->second.second = std::max(it->second.second, end);
        }
    }
    std::map<std::string, size_t, std::less<>> object_index;
    for (const auto& obj : syms.objects()) {
        if (spans)
            sb.set_next_nobits_size(span.at(obj).second - span.at(obj).first);
        const size_t idx = sb.add(std::string(kObjectPrefix) + obj, SHT_NOBITS, spans ? SHF_ALLOC | SHF_WRITE : 0,
                                  {}, ELF_T_BYTE, 0, 1);
        if (idx >= SHN_LORESERVE)
            failf(path, "too many load objects for an ELF symbol table ({})", syms.objects().size());
        object_index[obj] = idx;
        if (spans) {
            Elf_Scn* scn = sb.scn(idx);
            GElf_Shdr sh{};
            gelf_getshdr(scn, &sh);
            sh.sh_addr = span.at(obj).first;
            if (!gelf_update_shdr(scn, &sh))
                failf(path, "cannot write the section header of object {}: {}", obj, elf_error());
        }
    }

    // Local symbols come first (sh_info is the index of the first non-local one).
    std::vector<const Symbol*> order;
    order.reserve(syms.size());
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& s : syms.all())
            if ((GELF_ST_BIND(s.sym.st_info) == STB_LOCAL) == (pass == 0))
                order.push_back(&s);
    size_t first_global = 1;
    for (const Symbol* s : order)
        if (GELF_ST_BIND(s->sym.st_info) == STB_LOCAL)
            ++first_global;

    std::string strtab(1, '\0');
    std::vector<GElf_Sym> out(order.size() + 1);
    for (size_t i = 0; i < order.size(); ++i) {
        const Symbol& s = *order[i];
        GElf_Sym& g = out[i + 1];
        g.st_name = static_cast<GElf_Word>(strtab.size());
        strtab.append(s.name);
        strtab.push_back('\0');
        g.st_value = s.sym.st_value;
        g.st_size = s.sym.st_size;
        g.st_info = s.sym.st_info;
        g.st_other = s.sym.st_other;
        g.st_shndx = static_cast<GElf_Section>(object_index.at(s.object));
    }

    // The strtab section index is known once the symtab is added next to it: symtab, then strtab.
    const size_t ent = sizeof(Elf64_Sym);
    std::vector<uint8_t> bytes(out.size() * ent);
    const size_t symtab_index = sb.add(".symtab", SHT_SYMTAB, 0, std::move(bytes), ELF_T_SYM, ent, 8,
                                       0, static_cast<GElf_Word>(first_global));
    const size_t strtab_index = sb.add(".strtab", SHT_STRTAB, 0, std::vector<uint8_t>(strtab.begin(), strtab.end()),
                                       ELF_T_BYTE, 0, 1);
    Elf_Scn* scn = sb.scn(symtab_index);
    Elf_Data* data = elf_getdata(scn, nullptr);
    for (size_t i = 0; i < out.size(); ++i)
        if (!data || !gelf_update_sym(data, static_cast<int>(i), &out[i]))
            failf(path, "cannot store symbol {}: {}", i, elf_error());
    GElf_Shdr sh{};
    gelf_getshdr(scn, &sh);
    sh.sh_link = static_cast<GElf_Word>(strtab_index);
    gelf_update_shdr(scn, &sh);
    return order.size();
}

void read_image_symbols(Elf* e, const std::string& path, SymbolTable& out) {
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        failf(path, "no section name table: {}", elf_error());
    // Object sections, by index, in file order (= the saved table's object order).
    std::map<size_t, std::string> objects;
    Elf_Scn* symtab = nullptr;
    for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh{};
        if (!gelf_getshdr(scn, &sh))
            failf(path, "cannot read a section header: {}", elf_error());
        const char* name = elf_strptr(e, shstrndx, sh.sh_name);
        if (!name)
            failf(path, "section {} has no valid name", elf_ndxscn(scn));
        std::string_view n(name);
        if (n.starts_with(kObjectPrefix))
            objects[elf_ndxscn(scn)] = std::string(n.substr(kObjectPrefix.size()));
        if (sh.sh_type == SHT_SYMTAB) {
            if (symtab)
                failf(path, "more than one symbol table");
            symtab = scn;
        }
    }
    if (!symtab)
        failf(path, "mdbsim image has no .symtab section");
    SymtabSection st = load_symtab(e, path, symtab, ".symtab");

    std::map<size_t, std::vector<size_t>> by_object;  // object section -> symbol indices
    for (size_t i = 1; i < st.count; ++i) {
        GElf_Sym sym{};
        if (!gelf_getsym(st.data, static_cast<int>(i), &sym))
            failf(path, ".symtab: cannot read symbol {}: {}", i, elf_error());
        if (!objects.count(sym.st_shndx))
            failf(path, ".symtab: symbol {} has section index {}, which is not an object section", i,
                  sym.st_shndx);
        by_object[sym.st_shndx].push_back(i);
    }
    for (const auto& [shndx, idxs] : by_object) {
        const std::string& obj = objects.at(shndx);
        for (size_t i : idxs) {
            GElf_Sym sym{};
            gelf_getsym(st.data, static_cast<int>(i), &sym);
            const char* name = elf_strptr(e, st.shdr.sh_link, sym.st_name);
            if (!name)
                failf(path, ".symtab: symbol {} has an invalid name offset {:#x}", i, sym.st_name);
            out.add(obj, name, sym.st_value, sym.st_size, GELF_ST_TYPE(sym.st_info), GELF_ST_BIND(sym.st_info));
        }
    }
}

void read_foreign_symbols(Elf* e, const std::string& path, const std::string& object, SymbolTable& out) {
    Elf_Scn* scn = find_section(e, SHT_SYMTAB);
    const char* what = ".symtab";
    if (!scn) {
        scn = find_section(e, SHT_DYNSYM);
        what = ".dynsym";
    }
    if (!scn)
        return;  // stripped: no symbols, like mdb on a stripped object
    SymtabSection st = load_symtab(e, path, scn, what);
    for (size_t i = 1; i < st.count; ++i) {
        GElf_Sym sym{};
        if (!gelf_getsym(st.data, static_cast<int>(i), &sym))
            failf(path, "{}: cannot read symbol {}: {}", what, i, elf_error());
        const unsigned type = GELF_ST_TYPE(sym.st_info);
        if (sym.st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE)
            continue;
        const char* name = elf_strptr(e, st.shdr.sh_link, sym.st_name);
        if (!name || !*name)
            continue;
        out.add(object, name, sym.st_value, sym.st_size, static_cast<unsigned char>(type),
                GELF_ST_BIND(sym.st_info), sym.st_shndx);
    }
}

}  // namespace mdbsim::sim::image
