// The type information a target carries, as bytes: CTF archives (or lone CTF dicts), exactly as
// they sit in an ELF .ctf section. The sim only stores and saves them; the host's type layer
// (walkers/host/types/) opens them with libctf.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mdbsim::sim {

struct CtfObject {
    // The load object the archive's parent dict belongs to ("genunix" for the kernel's types);
    // each child dict of the archive is a module named by its archive member name.
    std::string name;
    std::shared_ptr<const std::vector<uint8_t>> data;
    // Its multi-dimensional arrays are nested as gcc 12 and 13 write them (swapped), so the type
    // layer re-nests them in C order when it opens them (ctf_array_order.hpp). False for the
    // kernel's types, which are built in C order, and for mdbsim's images, which carry those.
    bool gcc_array_order = false;
    // A linked object's dynamic symbol table (.dynsym, entries of sym_entsize bytes) and its
    // string table (.dynstr): ld keys the dicts' function and data info by .dynsym and moves the
    // names they share into .dynstr, and libctf reads neither without them. Null for the
    // kernel's types, object files and mdbsim's images.
    std::shared_ptr<const std::vector<uint8_t>> symtab = nullptr;
    std::shared_ptr<const std::vector<uint8_t>> strtab = nullptr;
    size_t sym_entsize = 0;
};

// The simulated kernel's types, compiled from the SDK's layout headers at build time:
// genunix (parent: list_t, avl_tree_t, page_t, struct memseg, ...), unix and kvm (children).
const CtfObject& kernel_ctf();

}  // namespace mdbsim::sim
