// Reading an ELF file's headers for open_image: every program header and note is checked against
// the file before anything is mapped, and an mdbsim image's notes are decoded and cross-checked.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "image_elf.hpp"
#include "image_format.hpp"
#include "mdbsim/sim/image.hpp"

namespace mdbsim::sim::image {

struct LoadSegment {
    size_t phdr = 0;  // program header index
    GElf_Phdr ph{};
};

struct ParsedImage {
    ImageKind kind = ImageKind::object;
    std::vector<LoadSegment> loads;  // every PT_LOAD, in program header order
    bool companion = false;          // an mdbsim image's .syms file: symbols keep their objects
    // mdbsim images only:
    Header header;
    std::vector<SegmentTag> tags;  // one per entry of loads
    std::map<std::string, std::string> info;
};

// e must come from elf_begin on the file; file_size is its size. Throws "<path>: <what>".
ParsedImage parse_image(Elf* e, const std::string& path, uint64_t file_size);

// The e_ident checks that need no libelf: magic, class, byte order. Throws "<path>: <what>".
void check_ident(const uint8_t* bytes, uint64_t size, const std::string& path);

}  // namespace mdbsim::sim::image
