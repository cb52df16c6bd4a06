// Target images: a whole Target saved as an ELF64 x86-64 core file, and ELF files opened as targets.
//
// File format (an mdbsim image, ET_CORE, little-endian, EM_X86_64):
//  - One PT_LOAD per region, virtual address space first, then physical, each sorted by address.
//    Virtual:  p_vaddr = address, p_paddr = 0 (the simulator cannot tell which regions alias
//              physical memory). Physical: p_vaddr = 0, p_paddr = physical address.
//    p_flags = PF_R/PF_W/PF_X from the protection; p_memsz = region size; p_align = page size;
//    p_offset is page aligned. Trailing all-zero pages are not stored (p_filesz < p_memsz, the
//    rest reads as zero) and all-zero pages inside the stored part are holes in a sparse file.
//  - One PT_NOTE (also section .note.mdbsim) with notes named "MDBSIM":
//      0x4d530001 header:   u32 version (1), u32 flags (bit 0: target was writable),
//                           u32 virtual segments, u32 physical segments, u64 symbols
//      0x4d530002 segments: per PT_LOAD, in program header order: u32 space (0 virtual,
//                           1 physical), u32 name length, name bytes, padding to 4 bytes. This
//                           note, not p_vaddr or p_paddr, says which space a segment belongs to.
//      0x4d530003 info:     Target::info() as key NUL value NUL pairs
//    (The "MS" in the types keeps gdb and readelf from reading them as NT_PRSTATUS and friends.)
//  - Sections: .symtab/.strtab with every symbol; each symbol's st_shndx names an empty section
//    ".mdbsim.obj.<object>" (SHT_NOBITS, one per load object, in the table's object order).
//  - Companion file <path>.syms: ET_EXEC, no segments, the same .symtab; its object sections are
//    SHF_ALLOC and span their symbols' addresses (gdb keeps only symbols in allocated sections),
//    for tools that ignore symbols in cores (`gdb <path>.syms <path>`). Opened by open_image it
//    gives the symbols with their objects and no memory.
//  - drgn reads the core directly (`set_core_dump`; physical reads work through p_paddr). drgn
//    faults, rather than reading zero, past p_filesz in a core without VMCOREINFO.
//
// Opening: an mdbsim image restores both address spaces, symbols, info. Any other ELF file opens
// too, as `mdb /bin/ls` does: its PT_LOAD segments become virtual regions (page-rounded; pages
// beyond p_filesz read zero), the physical space is empty, and its .symtab (else .dynsym) gives
// the symbols, under the object named after the file's base name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim {

struct SaveStats {
    size_t virtual_segments = 0;
    size_t physical_segments = 0;
    size_t symbols = 0;
    uint64_t stored_bytes = 0;  // segment bytes stored in the file (sum of p_filesz)
};

// Writes path (the core) and path + ".syms". Each file is written under a temporary name and
// renamed into place, so a failure leaves no half-written file. Throws std::runtime_error naming
// the file on any failure (unreadable target memory, I/O errors).
SaveStats save_image(const Target& target, const std::string& path);

struct OpenOptions {
    // Writable: writes succeed and change only this process's copy (copy-on-write); the file is
    // never modified. Otherwise every write or poke faults and Target::writable() is false.
    bool writable = false;
};

enum class ImageKind {
    mdbsim,       // written by save_image
    core,         // another ELF core file
    object,       // another ELF file (executable, shared object, relocatable)
};
const char* to_string(ImageKind kind);

struct ImageFacts {
    ImageKind kind = ImageKind::object;
    bool saved_writable = false;  // mdbsim images: whether the target was writable when saved
    size_t virtual_segments = 0;
    size_t physical_segments = 0;
    size_t symbols = 0;
};

// Opens an ELF file as a target on Backend::image. The file is mapped privately; segment bytes are
// not copied. Throws std::runtime_error "<path>: <what is wrong>" for anything that is not a
// well-formed ELF64 x86-64 file (or a damaged mdbsim image); never crashes on bad input. The file
// must not be truncated while the target is alive (the mapping would fault).
std::unique_ptr<Target> open_image(const std::string& path, const OpenOptions& opts = {},
                                   ImageFacts* facts = nullptr);

}  // namespace mdbsim::sim
