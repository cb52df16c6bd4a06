// open_image: an ELF file as a Target on the image backend.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "image_memory.hpp"
#include "image_parse.hpp"
#include "image_symbols.hpp"
#include "mdbsim/sim/ctf_array_order.hpp"
#include "mdbsim/sim/image.hpp"

namespace mdbsim::sim {
namespace {

using namespace image;

// The whole file, mapped read-only for headers and partial pages while the image is loaded.
class FileView {
public:
    FileView(int fd, uint64_t size, const std::string& path) : size_(size) {
        void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
            failf(path, "cannot map the file: {}", std::strerror(errno));
        p_ = static_cast<const uint8_t*>(p);
    }
    ~FileView() { ::munmap(const_cast<uint8_t*>(p_), size_); }
    FileView(const FileView&) = delete;
    FileView& operator=(const FileView&) = delete;
    const uint8_t* data() const { return p_; }

private:
    const uint8_t* p_ = nullptr;
    uint64_t size_;
};

uint32_t prot_of(GElf_Word flags) {
    uint32_t p = kProtNone;
    if (flags & PF_R)
        p |= kProtRead;
    if (flags & PF_W)
        p |= kProtWrite;
    if (flags & PF_X)
        p |= kProtExec;
    return p;
}

std::string base_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct Loader {
    const std::string& path;
    int fd;
    const FileView& file;
    uint64_t size;

    void add(ImageMemory& m, const Region& r, std::span<const ImageMemory::Piece> pieces,
             const std::string& what) {
        try {
            m.add_file_region(r, pieces, fd, file.data(), size);
        } catch (const MapError& e) {
            failf(path, "{}: {}", what, e.what());
        }
    }

    void load_mdbsim(const ParsedImage& img, ImageMemory& vm, ImageMemory& pm) {
        for (size_t k = 0; k < img.loads.size(); ++k) {
            const GElf_Phdr& ph = img.loads[k].ph;
            const bool phys = img.tags[k].space == Space::phys;
            const uint64_t addr = phys ? ph.p_paddr : ph.p_vaddr;
            Region r{addr, ph.p_memsz, prot_of(ph.p_flags), img.tags[k].name};
            std::vector<ImageMemory::Piece> pieces;
            if (ph.p_filesz > 0)
                pieces.push_back({addr, ph.p_offset, ph.p_filesz});
            add(phys ? pm : vm, r, pieces,
                fmt::format("program header {} ({} [{:#x}, {:#x}))", img.loads[k].phdr,
                            phys ? "physical" : "virtual", addr, addr + ph.p_memsz));
        }
    }

    // Another ELF file: page-rounded segments; segments sharing a page become one region.
    void load_foreign(const ParsedImage& img, ImageMemory& vm) {
        std::vector<const LoadSegment*> segs;
        for (const auto& l : img.loads)
            if (l.ph.p_memsz > 0)
                segs.push_back(&l);
        std::stable_sort(segs.begin(), segs.end(),
                         [](auto* a, auto* b) { return a->ph.p_vaddr < b->ph.p_vaddr; });
        const std::string obj = base_name(path);
        for (size_t i = 0; i < segs.size();) {
            const uint64_t base = segs[i]->ph.p_vaddr & ~(kImagePage - 1);
            uint64_t end = 0;
            uint32_t prot = kProtNone;
            std::vector<ImageMemory::Piece> pieces;
            size_t j = i;
            for (; j < segs.size(); ++j) {
                const GElf_Phdr& ph = segs[j]->ph;
                if (j > i && ph.p_vaddr < segs[j - 1]->ph.p_vaddr + segs[j - 1]->ph.p_memsz)
                    failf(path, "program headers {} and {} overlap at {:#x}", segs[j - 1]->phdr, segs[j]->phdr,
                          ph.p_vaddr);
                if (j > i && (ph.p_vaddr & ~(kImagePage - 1)) >= end)
                    break;
                const uint64_t last = ph.p_vaddr + ph.p_memsz - 1;
                if (last > UINT64_MAX - kImagePage)
                    failf(path, "program header {}: segment ends too close to the top of the address space",
                          segs[j]->phdr);
                end = std::max(end, (last | (kImagePage - 1)) + 1);
                prot |= prot_of(ph.p_flags);
                if (ph.p_filesz > 0)
                    pieces.push_back({ph.p_vaddr, ph.p_offset, ph.p_filesz});
            }
            Region r{base, end - base, prot, fmt::format("{}:load{}", obj, segs[i]->phdr)};
            add(vm, r, pieces, fmt::format("program header {} ([{:#x}, {:#x}))", segs[i]->phdr, base, end));
            i = j;
        }
    }
};

}  // namespace

const char* to_string(ImageKind kind) {
    switch (kind) {
    case ImageKind::mdbsim: return "mdbsim image";
    case ImageKind::core: return "ELF core file";
    case ImageKind::object: return "ELF object";
    }
    return "unknown";
}

namespace {

// The producer strings of an ELF file's .comment section ("GCC: (Debian 12.2.0-14) 12.2.0").
std::string elf_comment(Elf* e, size_t shstrndx) {
    std::string out;
    for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS) continue;
        const char* n = elf_strptr(e, shstrndx, sh.sh_name);
        if (!n || std::strcmp(n, ".comment") != 0) continue;
        if (Elf_Data* d = elf_getdata(s, nullptr); d && d->d_buf)
            out.append(static_cast<const char*>(d->d_buf), d->d_size);
    }
    return out;
}

// Every .ctf and .ctf.<object> section, in file order, with the array nesting its producer
// used (mdbsim's own images have no .comment: C order).
std::vector<CtfObject> read_ctf_sections(Elf* e, const std::string& path, const std::string& file_object) {
    std::vector<CtfObject> out;
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(e, &shstrndx) != 0) return out;
    const bool gcc_order = array_order_from_comment(elf_comment(e, shstrndx)) == ArrayOrder::gcc;
    // A linked object's .dynsym and .dynstr go with its CTF (CtfObject::symtab).
    std::shared_ptr<const std::vector<uint8_t>> dynsym, dynstr;
    size_t dynsym_entsize = 0;
    for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_DYNSYM) continue;
        Elf_Data* sd = elf_getdata(s, nullptr);
        Elf_Scn* str = elf_getscn(e, sh.sh_link);
        Elf_Data* td = str ? elf_getdata(str, nullptr) : nullptr;
        if (!sd || !sd->d_buf || !td || !td->d_buf) break;
        const auto* sb = static_cast<const uint8_t*>(sd->d_buf);
        const auto* tb = static_cast<const uint8_t*>(td->d_buf);
        dynsym = std::make_shared<const std::vector<uint8_t>>(sb, sb + sd->d_size);
        dynstr = std::make_shared<const std::vector<uint8_t>>(tb, tb + td->d_size);
        dynsym_entsize = sh.sh_entsize;
        break;
    }
    for (Elf_Scn* s = nullptr; (s = elf_nextscn(e, s)) != nullptr;) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || sh.sh_type == SHT_NOBITS) continue;
        const char* n = elf_strptr(e, shstrndx, sh.sh_name);
        if (!n) continue;
        const std::string_view name(n);
        std::string object;
        if (name == image::kCtfSection)
            object = file_object;
        else if (name.starts_with(image::kCtfSectionPrefix) && name.size() > image::kCtfSectionPrefix.size())
            object = std::string(name.substr(image::kCtfSectionPrefix.size()));
        else
            continue;
        Elf_Data* d = elf_getdata(s, nullptr);
        if (!d || !d->d_buf || d->d_size == 0)
            failf(path, "section {} is empty or unreadable: {}", name, elf_error());
        const auto* b = static_cast<const uint8_t*>(d->d_buf);
        out.push_back({std::move(object), std::make_shared<const std::vector<uint8_t>>(b, b + d->d_size), gcc_order,
                       dynsym, dynstr, dynsym_entsize});
    }
    return out;
}

std::unique_ptr<Target> open_checked(const std::string& path, const OpenOptions& opts, ImageFacts* facts) {
    elf_init();
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        failf(path, "cannot open: {}", std::strerror(errno));
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0)
        failf(path, "cannot stat: {}", std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        fail(path, "not a regular file");
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size == 0)
        fail(path, "empty file, not an ELF file");

    FileView file(fd.get(), size, path);
    check_ident(file.data(), size, path);
    ElfHandle e(elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr));
    if (!e.get())
        failf(path, "cannot read as ELF: {}", elf_error());
    ParsedImage img = parse_image(e.get(), path, size);

    auto vm = std::make_unique<ImageMemory>(opts.writable);
    auto pm = std::make_unique<ImageMemory>(opts.writable);
    Loader loader{path, fd.get(), file, size};
    SymbolTable syms;
    if (img.kind == ImageKind::mdbsim) {
        loader.load_mdbsim(img, *vm, *pm);
        read_image_symbols(e.get(), path, syms);
        if (syms.size() != img.header.symbols)
            failf(path, "MDBSIM header says {} symbols; .symtab holds {}", img.header.symbols, syms.size());
    } else {
        loader.load_foreign(img, *vm);
        if (img.companion)
            read_image_symbols(e.get(), path, syms);
        else
            read_foreign_symbols(e.get(), path, base_name(path), syms);
    }

    auto t = std::make_unique<Target>(std::move(vm), std::move(pm));
    t->symbols() = std::move(syms);
    t->ctf() = read_ctf_sections(e.get(), path, base_name(path));
    t->info() = std::move(img.info);
    t->set_writable(opts.writable);
    if (facts) {
        facts->kind = img.kind;
        facts->saved_writable = (img.header.flags & kFlagWritable) != 0;
        facts->virtual_segments = t->vmem().regions().size();
        facts->physical_segments = t->pmem().regions().size();
        facts->symbols = t->symbols().size();
    }
    return t;
}

}  // namespace

std::unique_ptr<Target> open_image(const std::string& path, const OpenOptions& opts, ImageFacts* facts) {
    try {
        return open_checked(path, opts, facts);
    } catch (const MapError& e) {
        fail(path, e.what());
    } catch (const std::runtime_error& e) {
        if (std::string_view(e.what()).starts_with(path + ":"))
            throw;
        fail(path, e.what());
    }
}

}  // namespace mdbsim::sim
