#include "image_elf.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace mdbsim::sim::image {

void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error(path + ": " + what);
}

std::string elf_error() {
    const char* m = elf_errmsg(-1);
    return m ? m : "unknown libelf error";
}

void elf_init() {
    static std::once_flag once;
    std::call_once(once, [] { (void)elf_version(EV_CURRENT); });
}

Fd& Fd::operator=(Fd&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        o.fd_ = -1;
    }
    return *this;
}

Fd::~Fd() { close(); }

void Fd::close() {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

void ElfHandle::reset() {
    if (e_)
        elf_end(e_);
    e_ = nullptr;
}

GElf_Word SectionBuilder::intern(std::string_view name) {
    const auto off = static_cast<GElf_Word>(shstr_.size());
    shstr_.append(name);
    shstr_.push_back('\0');
    return off;
}

size_t SectionBuilder::add(std::string_view name, GElf_Word type, GElf_Xword flags,
                           std::vector<uint8_t> bytes, Elf_Type dtype, GElf_Xword entsize,
                           GElf_Xword align, GElf_Word link, GElf_Word info) {
    return add_named(intern(name), name, type, flags, std::move(bytes), dtype, entsize, align, link, info);
}

size_t SectionBuilder::add_named(GElf_Word name_off, std::string_view name, GElf_Word type,
                                 GElf_Xword flags, std::vector<uint8_t> bytes, Elf_Type dtype,
                                 GElf_Xword entsize, GElf_Xword align, GElf_Word link, GElf_Word info) {
    Elf_Scn* scn = elf_newscn(e_);
    if (!scn)
        failf(path_, "cannot add section {}: {}", name, elf_error());
    GElf_Shdr sh{};
    if (!gelf_getshdr(scn, &sh))
        failf(path_, "cannot read section header of {}: {}", name, elf_error());
    sh.sh_name = name_off;
    sh.sh_type = type;
    sh.sh_flags = flags;
    sh.sh_entsize = entsize;
    sh.sh_addralign = align;
    sh.sh_link = link;
    sh.sh_info = info;
    // Every section gets a data descriptor, even an empty SHT_NOBITS one: elfutils 0.188 fails
    // ELF_C_WRITE (after a successful ELF_C_NULL) on a section without one.
    {
        // SHT_NOBITS: no bytes; libelf takes sh_size from d_size.
        const size_t nobits = type == SHT_NOBITS ? static_cast<size_t>(nobits_size_) : 0;
        if (type == SHT_NOBITS)
            bytes.clear();
        nobits_size_ = 0;
        buffers_.push_back(std::move(bytes));
        auto& buf = buffers_.back();
        Elf_Data* d = elf_newdata(scn);
        if (!d)
            failf(path_, "cannot add data to section {}: {}", name, elf_error());
        d->d_buf = buf.empty() ? nullptr : buf.data();
        d->d_size = type == SHT_NOBITS ? nobits : buf.size();
        d->d_type = dtype;
        d->d_align = align;
        d->d_off = 0;
        d->d_version = EV_CURRENT;
    }
    if (!gelf_update_shdr(scn, &sh))
        failf(path_, "cannot write section header of {}: {}", name, elf_error());
    return elf_ndxscn(scn);
}

void SectionBuilder::finish() {
    const GElf_Word name_off = intern(".shstrtab");
    std::vector<uint8_t> bytes(shstr_.begin(), shstr_.end());
    const size_t idx = add_named(name_off, ".shstrtab", SHT_STRTAB, 0, std::move(bytes), ELF_T_BYTE, 0, 1);
    GElf_Ehdr eh{};
    if (!gelf_getehdr(e_, &eh))
        failf(path_, "cannot read ELF header: {}", elf_error());
    if (idx >= SHN_LORESERVE)
        failf(path_, "too many sections ({})", idx + 1);
    eh.e_shstrndx = static_cast<GElf_Half>(idx);
    if (!gelf_update_ehdr(e_, &eh))
        failf(path_, "cannot write ELF header: {}", elf_error());
}

Elf_Scn* SectionBuilder::scn(size_t index) const {
    Elf_Scn* s = elf_getscn(e_, index);
    if (!s)
        failf(path_, "no section {}: {}", index, elf_error());
    return s;
}

ElfHandle begin_write(int fd, const std::string& path, GElf_Half type) {
    elf_init();
    ElfHandle e(elf_begin(fd, ELF_C_WRITE, nullptr));
    if (!e.get())
        failf(path, "cannot start ELF output: {}", elf_error());
    if (!gelf_newehdr(e.get(), ELFCLASS64))
        failf(path, "cannot create ELF header: {}", elf_error());
    GElf_Ehdr eh{};
    if (!gelf_getehdr(e.get(), &eh))
        failf(path, "cannot read ELF header: {}", elf_error());
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = type;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    if (!gelf_update_ehdr(e.get(), &eh))
        failf(path, "cannot write ELF header: {}", elf_error());
    return e;
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
    tmp_ = path_ + ".tmp" + std::to_string(::getpid());
    fd_ = Fd(::open(tmp_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd_.get() < 0)
        failf(path_, "cannot create {}: {}", tmp_, std::strerror(errno));
}

AtomicFile::~AtomicFile() {
    fd_.close();
    if (!committed_)
        ::unlink(tmp_.c_str());
}

void AtomicFile::commit() {
    fd_.close();
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
        failf(path_, "cannot rename {} into place: {}", tmp_, std::strerror(errno));
    committed_ = true;
}

void pwrite_all(int fd, const std::string& path, const void* buf, size_t len, uint64_t off) {
    const auto* p = static_cast<const uint8_t*>(buf);
    while (len > 0) {
        ssize_t n = ::pwrite(fd, p, len, static_cast<off_t>(off));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            failf(path, "write of {:#x} bytes at offset {:#x} failed: {}", len, off, std::strerror(errno));
        }
        if (n == 0)
            failf(path, "write at offset {:#x} made no progress", off);
        p += n;
        len -= static_cast<size_t>(n);
        off += static_cast<uint64_t>(n);
    }
}

}  // namespace mdbsim::sim::image
