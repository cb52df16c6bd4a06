// Small libelf helpers shared by the image writer and reader: owned descriptors, owned Elf
// handles, errors that name the file, and a builder for the sections of a file being written.
#pragma once

#include <gelf.h>

#include <fmt/format.h>

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim::image {

inline constexpr uint64_t kImagePage = 4096;

// "<path>: <what>"; every image error goes through here so messages name the file.
[[noreturn]] void fail(const std::string& path, const std::string& what);
template <class... A>
[[noreturn]] void failf(const std::string& path, fmt::format_string<A...> f, A&&... a) {
    fail(path, fmt::format(f, std::forward<A>(a)...));
}
// The current libelf error as text.
std::string elf_error();
// Makes sure libelf's version handshake happened (thread-safe, once).
void elf_init();

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Fd& operator=(Fd&& o) noexcept;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd();
    int get() const { return fd_; }
    void close();

private:
    int fd_ = -1;
};

class ElfHandle {
public:
    ElfHandle() = default;
    explicit ElfHandle(Elf* e) : e_(e) {}
    ElfHandle(ElfHandle&& o) noexcept : e_(o.e_) { o.e_ = nullptr; }
    ElfHandle(const ElfHandle&) = delete;
    ElfHandle& operator=(const ElfHandle&) = delete;
    ~ElfHandle() { reset(); }
    Elf* get() const { return e_; }
    void reset();

private:
    Elf* e_ = nullptr;
};

// Builds the sections of an ELF file being written with ELF_C_WRITE. Data buffers stay alive
// (owned here) until the file is written; .shstrtab is added by finish().
class SectionBuilder {
public:
    SectionBuilder(Elf* e, std::string path) : e_(e), path_(std::move(path)) {}

    // Returns the new section's index.
    size_t add(std::string_view name, GElf_Word type, GElf_Xword flags, std::vector<uint8_t> bytes,
               Elf_Type dtype, GElf_Xword entsize, GElf_Xword align, GElf_Word link = 0,
               GElf_Word info = 0);
    // The size the next SHT_NOBITS section added will claim (sh_size; it has no file bytes).
    void set_next_nobits_size(uint64_t size) { nobits_size_ = size; }
    // Adds .shstrtab and records it in the ELF header.
    void finish();
    Elf_Scn* scn(size_t index) const;

private:
    GElf_Word intern(std::string_view name);
    size_t add_named(GElf_Word name_off, std::string_view name, GElf_Word type, GElf_Xword flags,
                     std::vector<uint8_t> bytes, Elf_Type dtype, GElf_Xword entsize, GElf_Xword align,
                     GElf_Word link = 0, GElf_Word info = 0);

    Elf* e_;
    std::string path_;
    std::string shstr_ = std::string(1, '\0');
    std::deque<std::vector<uint8_t>> buffers_;
    uint64_t nobits_size_ = 0;
};

// A fresh ELF64 little-endian x86-64 file of the given type on fd (ELF_C_WRITE).
ElfHandle begin_write(int fd, const std::string& path, GElf_Half type);

// Writes to path through a temporary file renamed into place by commit(); removed otherwise.
class AtomicFile {
public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }
    void commit();

private:
    std::string path_;
    std::string tmp_;
    Fd fd_;
    bool committed_ = false;
};

// Writes all of buf at off (retrying short writes).
void pwrite_all(int fd, const std::string& path, const void* buf, size_t len, uint64_t off);

}  // namespace mdbsim::sim::image
