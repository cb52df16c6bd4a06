// save_image: a Target as an ELF core (layout in mdbsim/sim/image.hpp) plus a companion .syms file.
// Segment bytes go straight from target memory to the file in bounded chunks; all-zero pages are
// skipped (holes), and trailing zero pages are left out of p_filesz.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "image_elf.hpp"
#include "image_format.hpp"
#include "image_symbols.hpp"
#include "mdbsim/sim/image.hpp"

namespace mdbsim::sim {
namespace {

using namespace image;

constexpr size_t kChunk = size_t(1) << 20;  // bytes read from the target at a time

struct SegPlan {
    Space space = Space::virt;
    Memory* mem = nullptr;
    Region region;
    std::vector<bool> nonzero;  // per page
    uint64_t filesz = 0;
    uint64_t offset = 0;
};

// Reads a region's bytes, lending it read permission for the duration when it has none.
class RegionReader {
public:
    RegionReader(Memory& m, const Region& r, const std::string& path) : m_(m), r_(r), path_(path) {
        if (!(r_.prot & kProtRead)) {
            m_.protect(r_.base, r_.size, r_.prot | kProtRead);
            lent_ = true;
        }
    }
    ~RegionReader() {
        if (lent_) {
            try {
                m_.protect(r_.base, r_.size, r_.prot);
            } catch (...) {
            }
        }
    }
    RegionReader(const RegionReader&) = delete;
    RegionReader& operator=(const RegionReader&) = delete;

    const uint8_t* get(uint64_t addr, size_t len) {
        if (const uint8_t* p = m_.direct(addr, len))
            return p;
        buf_.resize(std::max(buf_.size(), len));
        if (Fault f = m_.read(addr, buf_.data(), len))
            failf(path_, "cannot read target memory of region '{}' [{:#x}, {:#x}): {} fault at {:#x}",
                  r_.name, r_.base, r_.end(), to_string(f.kind), f.addr);
        return buf_.data();
    }

private:
    Memory& m_;
    Region r_;
    const std::string& path_;
    bool lent_ = false;
    std::vector<uint8_t> buf_;
};

bool page_is_zero(const uint8_t* p) {
    static const uint8_t zero[kImagePage] = {};
    return std::memcmp(p, zero, kImagePage) == 0;
}

void scan(SegPlan& s, const std::string& path) {
    RegionReader rd(*s.mem, s.region, path);
    const uint64_t pages = s.region.size / kImagePage;
    s.nonzero.assign(pages, false);
    uint64_t last = 0;  // one past the last non-zero page
    for (uint64_t off = 0; off < s.region.size; off += kChunk) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, s.region.size - off));
        const uint8_t* p = rd.get(s.region.base + off, n);
        for (size_t at = 0; at < n; at += kImagePage) {
            if (!page_is_zero(p + at)) {
                const uint64_t page = (off + at) / kImagePage;
                s.nonzero[page] = true;
                last = page + 1;
            }
        }
    }
    s.filesz = last * kImagePage;
}

uint64_t store(const SegPlan& s, int fd, const std::string& path) {
    RegionReader rd(*s.mem, s.region, path);
    uint64_t stored = 0;
    const uint64_t pages = s.filesz / kImagePage;
    const uint64_t chunk_pages = kChunk / kImagePage;
    uint64_t page = 0;
    while (page < pages) {
        if (!s.nonzero[page]) {
            ++page;
            continue;
        }
        uint64_t end = page;
        while (end < pages && s.nonzero[end] && end - page < chunk_pages)
            ++end;
        const size_t n = static_cast<size_t>((end - page) * kImagePage);
        const uint8_t* p = rd.get(s.region.base + page * kImagePage, n);
        pwrite_all(fd, path, p, n, s.offset + page * kImagePage);
        stored += n;
        page = end;
    }
    return stored;
}

GElf_Word flags_of(uint32_t prot) {
    GElf_Word f = 0;
    if (prot & kProtRead)
        f |= PF_R;
    if (prot & kProtWrite)
        f |= PF_W;
    if (prot & kProtExec)
        f |= PF_X;
    return f;
}

std::vector<SegPlan> plan(const Target& t) {
    // Saving reads memory; the Memory interface is non-const because reads may update caches.
    auto& mt = const_cast<Target&>(t);
    std::vector<SegPlan> segs;
    for (auto [space, mem] : {std::pair{Space::virt, &mt.vmem()}, std::pair{Space::phys, &mt.pmem()}})
        for (const Region& r : mem->regions()) {
            SegPlan s;
            s.space = space;
            s.mem = mem;
            s.region = r;
            segs.push_back(std::move(s));
        }
    return segs;
}

// The target's types travel with it: one .ctf.<object> section per CTF archive, its bytes as
// they are (read back by open_image, and by anything that reads CTF archives).
void add_ctf_sections(SectionBuilder& sb, const Target& t) {
    for (const auto& c : t.ctf())
        if (c.data && !c.data->empty())
            sb.add(std::string(kCtfSectionPrefix) + c.name, SHT_PROGBITS, 0, *c.data, ELF_T_BYTE, 0, 8);
}

void write_core(const Target& t, std::vector<SegPlan>& segs, const std::string& path, int fd,
                SaveStats& stats) {
    ElfHandle eh = begin_write(fd, path, ET_CORE);
    Elf* e = eh.get();
    SectionBuilder sb(e, path);

    Header h;
    h.flags = t.writable() ? kFlagWritable : 0;
    std::vector<SegmentTag> tags;
    for (const auto& s : segs) {
        (s.space == Space::virt ? h.virtual_segments : h.physical_segments)++;
        tags.push_back({s.space, s.region.name});
    }
    h.symbols = t.symbols().size();
    std::vector<uint8_t> notes;
    append_note(notes, kNoteName, kNoteHeader, encode_header(h));
    append_note(notes, kNoteName, kNoteSegments, encode_segments(tags));
    append_note(notes, kNoteName, kNoteInfo, encode_info(t.info()));
    const size_t notes_size = notes.size();
    const size_t note_index =
        sb.add(kNoteSection, SHT_NOTE, 0, std::move(notes), ELF_T_NHDR, 0, 4);
    stats.symbols = add_symbol_sections(sb, t.symbols(), path, false);
    add_ctf_sections(sb, t);
    sb.finish();

    if (!gelf_newphdr(e, segs.size() + 1))
        failf(path, "cannot create {} program headers: {}", segs.size() + 1, elf_error());
    const off_t laid_out = elf_update(e, ELF_C_NULL);
    if (laid_out < 0)
        failf(path, "cannot lay out the ELF file: {}", elf_error());

    GElf_Shdr note_sh{};
    if (!gelf_getshdr(sb.scn(note_index), &note_sh))
        failf(path, "cannot read the note section header: {}", elf_error());
    GElf_Phdr ph{};
    ph.p_type = PT_NOTE;
    ph.p_offset = note_sh.sh_offset;
    ph.p_filesz = notes_size;
    ph.p_align = 4;
    if (!gelf_update_phdr(e, 0, &ph))
        failf(path, "cannot write the note program header: {}", elf_error());

    uint64_t offset = (static_cast<uint64_t>(laid_out) + kImagePage - 1) & ~(kImagePage - 1);
    for (size_t i = 0; i < segs.size(); ++i) {
        SegPlan& s = segs[i];
        s.offset = offset;
        offset += s.filesz;
        GElf_Phdr p{};
        p.p_type = PT_LOAD;
        p.p_flags = flags_of(s.region.prot);
        p.p_offset = s.offset;
        p.p_vaddr = s.space == Space::virt ? s.region.base : 0;
        p.p_paddr = s.space == Space::phys ? s.region.base : 0;
        p.p_filesz = s.filesz;
        p.p_memsz = s.region.size;
        p.p_align = kImagePage;
        if (!gelf_update_phdr(e, static_cast<int>(i + 1), &p))
            failf(path, "cannot write program header {}: {}", i + 1, elf_error());
    }
    if (elf_update(e, ELF_C_WRITE) < 0)
        failf(path, "cannot write the ELF headers: {}", elf_error());
    eh.reset();

    for (const auto& s : segs) {
        stats.stored_bytes += store(s, fd, path);
        (s.space == Space::virt ? stats.virtual_segments : stats.physical_segments)++;
    }
    if (::ftruncate(fd, static_cast<off_t>(offset)) != 0)
        failf(path, "cannot set the file size to {:#x}: {}", offset, std::strerror(errno));
}

void write_syms(const Target& t, const std::string& path, int fd) {
    ElfHandle eh = begin_write(fd, path, ET_EXEC);
    SectionBuilder sb(eh.get(), path);
    add_symbol_sections(sb, t.symbols(), path, true);
    sb.finish();
    if (elf_update(eh.get(), ELF_C_WRITE) < 0)
        failf(path, "cannot write the symbol file: {}", elf_error());
}

SaveStats save_checked(const Target& target, const std::string& path) {
    SaveStats stats;
    std::vector<SegPlan> segs = plan(target);
    for (auto& s : segs)
        scan(s, path);

    AtomicFile core(path);
    write_core(target, segs, path, core.fd(), stats);
    AtomicFile syms(path + ".syms");
    write_syms(target, syms.path(), syms.fd());
    core.commit();
    syms.commit();
    return stats;
}

}  // namespace

SaveStats save_image(const Target& target, const std::string& path) {
    try {
        return save_checked(target, path);
    } catch (const MapError& e) {
        fail(path, e.what());
    } catch (const std::runtime_error& e) {
        if (std::string_view(e.what()).starts_with(path))
            throw;
        fail(path, e.what());
    }
}

}  // namespace mdbsim::sim
