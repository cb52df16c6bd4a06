#include "image_parse.hpp"

#include <cstring>
#include <optional>

namespace mdbsim::sim::image {
namespace {

bool range_ok(uint64_t off, uint64_t len, uint64_t size) { return off <= size && len <= size - off; }

struct RawNote {
    std::vector<uint8_t> desc;
    size_t phdr = 0;
};

// Walks one PT_NOTE segment, collecting the MDBSIM notes by type.
void read_notes(Elf* e, const std::string& path, size_t idx, const GElf_Phdr& ph,
                std::map<uint32_t, RawNote>& mdbsim) {
    if (ph.p_filesz == 0)
        return;
    Elf_Data* d = elf_getdata_rawchunk(e, static_cast<int64_t>(ph.p_offset), ph.p_filesz,
                                       ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
    if (!d)
        failf(path, "program header {}: cannot read notes: {}", idx, elf_error());
    size_t off = 0;
    while (off < d->d_size) {
        GElf_Nhdr nh{};
        size_t name_off = 0, desc_off = 0;
        const size_t next = gelf_getnote(d, off, &nh, &name_off, &desc_off);
        if (next == 0)
            failf(path, "program header {}: malformed note at offset {:#x}", idx, ph.p_offset + off);
        const auto* base = static_cast<const uint8_t*>(d->d_buf);
        const std::string_view name(reinterpret_cast<const char*>(base + name_off),
                                    nh.n_namesz ? nh.n_namesz - 1 : 0);
        if (nh.n_namesz == kNoteName.size() + 1 && name == kNoteName) {
            if (mdbsim.count(nh.n_type))
                failf(path, "MDBSIM note of type {} appears twice", nh.n_type);
            RawNote n;
            n.desc.assign(base + desc_off, base + desc_off + nh.n_descsz);
            n.phdr = idx;
            mdbsim[nh.n_type] = std::move(n);
        }
        off = next;
    }
}

// Whether the section headers show our markers (an image whose notes were lost).
bool has_mdbsim_sections(Elf* e) {
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        return false;
    for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
        GElf_Shdr sh{};
        if (!gelf_getshdr(scn, &sh))
            continue;
        const char* n = elf_strptr(e, shstrndx, sh.sh_name);
        if (n && (std::string_view(n) == kNoteSection || std::string_view(n).starts_with(kObjectPrefix)))
            return true;
    }
    return false;
}

void check_headers(Elf* e, const std::string& path, uint64_t size, const GElf_Ehdr& eh) {
    if (eh.e_machine != EM_X86_64)
        failf(path, "machine {} is not x86-64 ({})", eh.e_machine, EM_X86_64);
    size_t phnum = 0, shnum = 0;
    if (elf_getshdrnum(e, &shnum) != 0)
        failf(path, "cannot count section headers: {}", elf_error());
    // libelf quietly shortens a program header table that runs past the end of the file; the
    // header's own count is what the file claims.
    phnum = eh.e_phnum;
    if (phnum == PN_XNUM) {
        GElf_Shdr zero{};
        if (!gelf_getshdr(elf_getscn(e, 0), &zero))
            failf(path, "program header count is in section 0, which cannot be read: {}", elf_error());
        phnum = zero.sh_info;
    }
    size_t libelf_phnum = 0;
    if (elf_getphdrnum(e, &libelf_phnum) != 0 || libelf_phnum != phnum)
        failf(path, "{} program headers at offset {:#x} run past the end of the file ({:#x} bytes)",
              phnum, eh.e_phoff, size);
    if (phnum > 0) {
        const size_t ent = gelf_fsize(e, ELF_T_PHDR, 1, EV_CURRENT);
        if (eh.e_phentsize != ent)
            failf(path, "program header entry size {} (expected {})", eh.e_phentsize, ent);
        if (phnum > size / ent || !range_ok(eh.e_phoff, phnum * ent, size))
            failf(path, "{} program headers at offset {:#x} run past the end of the file ({:#x} bytes)",
                  phnum, eh.e_phoff, size);
    }
    if (shnum > 0) {
        const size_t ent = gelf_fsize(e, ELF_T_SHDR, 1, EV_CURRENT);
        if (eh.e_shentsize != ent)
            failf(path, "section header entry size {} (expected {})", eh.e_shentsize, ent);
        if (shnum > size / ent || !range_ok(eh.e_shoff, shnum * ent, size))
            failf(path, "{} section headers at offset {:#x} run past the end of the file ({:#x} bytes)",
                  shnum, eh.e_shoff, size);
        for (Elf_Scn* scn = elf_nextscn(e, nullptr); scn; scn = elf_nextscn(e, scn)) {
            GElf_Shdr sh{};
            if (!gelf_getshdr(scn, &sh))
                failf(path, "cannot read section header {}: {}", elf_ndxscn(scn), elf_error());
            if (sh.sh_type != SHT_NOBITS && !range_ok(sh.sh_offset, sh.sh_size, size))
                failf(path, "section {}: bytes [{:#x}, +{:#x}) lie beyond the end of the file ({:#x} bytes)",
                      elf_ndxscn(scn), sh.sh_offset, sh.sh_size, size);
        }
    }
}

// No simulated guest comes near this; a larger segment is a damaged header.
constexpr uint64_t kMaxSegment = 1ULL << 40;

void check_load(const std::string& path, size_t idx, const GElf_Phdr& ph, uint64_t size) {
    if (ph.p_memsz > kMaxSegment)
        failf(path, "program header {}: implausible memory size {:#x} (limit {:#x})", idx, ph.p_memsz,
              kMaxSegment);
    if (ph.p_filesz > ph.p_memsz)
        failf(path, "program header {}: file size {:#x} exceeds memory size {:#x}", idx, ph.p_filesz, ph.p_memsz);
    if (!range_ok(ph.p_offset, ph.p_filesz, size))
        failf(path, "program header {}: file bytes [{:#x}, +{:#x}) lie beyond the end of the file ({:#x} bytes)",
              idx, ph.p_offset, ph.p_filesz, size);
    if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
        failf(path, "program header {}: [{:#x}, +{:#x}) wraps past the top of the address space", idx,
              ph.p_vaddr, ph.p_memsz);
}

// An mdbsim image: decode and cross-check the notes against the program headers.
void check_mdbsim(const std::string& path, const GElf_Ehdr& eh, std::map<uint32_t, RawNote>& notes,
                  ParsedImage& out) {
    auto need = [&](uint32_t type, const char* what) -> RawNote& {
        auto it = notes.find(type);
        if (it == notes.end())
            failf(path, "mdbsim image is missing its MDBSIM {} note", what);
        return it->second;
    };
    if (eh.e_type != ET_CORE)
        failf(path, "mdbsim image has ELF type {} (expected ET_CORE)", eh.e_type);
    try {
        RawNote& h = need(kNoteHeader, "header");
        out.header = decode_header(h.desc.data(), h.desc.size());
        RawNote& s = need(kNoteSegments, "segments");
        out.tags = decode_segments(s.desc.data(), s.desc.size());
        RawNote& i = need(kNoteInfo, "info");
        out.info = decode_info(i.desc.data(), i.desc.size());
    } catch (const std::runtime_error& e) {
        if (std::string_view(e.what()).starts_with(path + ":"))
            throw;
        fail(path, e.what());
    }
    if (out.tags.size() != out.loads.size())
        failf(path, "MDBSIM segments note describes {} segments but the file has {} PT_LOAD headers",
              out.tags.size(), out.loads.size());
    size_t nv = 0, np = 0;
    for (size_t k = 0; k < out.loads.size(); ++k) {
        const GElf_Phdr& ph = out.loads[k].ph;
        const size_t idx = out.loads[k].phdr;
        const bool phys = out.tags[k].space == Space::phys;
        (phys ? np : nv)++;
        const uint64_t addr = phys ? ph.p_paddr : ph.p_vaddr;
        if (ph.p_memsz == 0 || addr % kImagePage || ph.p_memsz % kImagePage || ph.p_offset % kImagePage)
            failf(path, "program header {}: address {:#x}, size {:#x} and offset {:#x} must be non-zero "
                        "multiples of {:#x}", idx, addr, ph.p_memsz, ph.p_offset, kImagePage);
        if (addr + ph.p_memsz < addr)
            failf(path, "program header {}: [{:#x}, +{:#x}) wraps past the top of the address space", idx,
                  addr, ph.p_memsz);
    }
    if (nv != out.header.virtual_segments || np != out.header.physical_segments)
        failf(path, "MDBSIM header says {} virtual and {} physical segments; the file has {} and {}",
              out.header.virtual_segments, out.header.physical_segments, nv, np);
}

}  // namespace

void check_ident(const uint8_t* b, uint64_t size, const std::string& path) {
    if (size < EI_NIDENT || std::memcmp(b, ELFMAG, SELFMAG) != 0)
        fail(path, "not an ELF file");
    if (b[EI_CLASS] != ELFCLASS64)
        failf(path, "not a 64-bit ELF file (class {})", b[EI_CLASS]);
    if (b[EI_DATA] != ELFDATA2LSB)
        failf(path, "not a little-endian ELF file (data encoding {})", b[EI_DATA]);
}

ParsedImage parse_image(Elf* e, const std::string& path, uint64_t size) {
    if (elf_kind(e) != ELF_K_ELF)
        fail(path, "not an ELF file");
    GElf_Ehdr eh{};
    if (!gelf_getehdr(e, &eh))
        failf(path, "cannot read the ELF header: {}", elf_error());
    check_headers(e, path, size, eh);

    ParsedImage out;
    std::map<uint32_t, RawNote> notes;
    size_t phnum = 0;
    elf_getphdrnum(e, &phnum);
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph{};
        if (!gelf_getphdr(e, static_cast<int>(i), &ph))
            failf(path, "cannot read program header {}: {}", i, elf_error());
        if (ph.p_type == PT_LOAD) {
            check_load(path, i, ph, size);
            out.loads.push_back({i, ph});
        } else if (ph.p_type == PT_NOTE) {
            if (!range_ok(ph.p_offset, ph.p_filesz, size))
                failf(path, "program header {}: notes [{:#x}, +{:#x}) lie beyond the end of the file ({:#x} bytes)",
                      i, ph.p_offset, ph.p_filesz, size);
            read_notes(e, path, i, ph, notes);
        }
    }
    if (!notes.empty()) {
        out.kind = ImageKind::mdbsim;
        check_mdbsim(path, eh, notes, out);
    } else if (has_mdbsim_sections(e)) {
        if (eh.e_type == ET_CORE)
            fail(path, "mdbsim image is missing its MDBSIM notes");
        out.kind = ImageKind::object;
        out.companion = true;
    } else {
        out.kind = eh.e_type == ET_CORE ? ImageKind::core : ImageKind::object;
    }
    return out;
}

}  // namespace mdbsim::sim::image
